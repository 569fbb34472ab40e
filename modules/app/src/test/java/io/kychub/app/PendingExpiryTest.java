package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A pending verification with no progress within its time limit becomes expired (here the limit is 1 s). */
class PendingExpiryTest {

  private static HubHarness hub;
  private static String key;

  @BeforeAll
  static void start() throws Exception {
    hub = HubHarness.start(PendingExpiryTest.class,
        Map.of("KYC_PENDING_TTL_SECONDS", 1, "KYC_VERIFICATION_SWEEP_MILLIS", 200, "KYC_POLL_IDLE_SECONDS", 1));
    hub.createTenant("slow");
    hub.putCredential("slow", "sovera", new JsonObject()
        .put("webhookAuth", new JsonObject().put("username", "sovera").put("secrets", new JsonArray().add("s3cret-sovera-000")))
        .put("api", new JsonObject().put("kycUrl", "https://kyc.sovera.example/{customerId}")));
    key = hub.createApiKey("slow");
  }

  @AfterAll
  static void stop() throws Exception {
    hub.close();
  }

  @Test
  void aPendingVerificationPastItsTtlExpires() throws Exception {
    try (SseClient sse = hub.sse(key, "?customerId=idle-1", null)) {
      assertThat(hub.operator("POST", key, "/v1/customers/idle-1/verifications", new JsonObject().put("provider", "sovera"))
          .statusCode()).isEqualTo(201);
      JsonObject state = hub.awaitStatus(key, "idle-1", "expired");
      assertThat(state.getJsonObject("reason").getString("code")).isEqualTo("ABANDONED");
      assertThat(sse.await(2, 10_000)).extracting(e -> e.data().getString("status")).containsExactly("pending", "expired");
      assertThat(hub.count("SELECT count(*) FROM events WHERE customer_id = 'idle-1'")).isEqualTo(2);
    }
  }
}
