package io.kychub.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HubConfigTest {

  private static JsonObject minimal() {
    return new JsonObject()
        .put("KYC_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]))
        .put("KYC_JWT_HS256_SECRET", "a-test-secret-of-at-least-thirty-two-bytes");
  }

  @Test
  void theIngestLimitsHaveDefaultsAndCanBeSet() {
    HubConfig defaults = HubConfig.from(minimal());
    assertThat(defaults.inboxInFlight()).isEqualTo(2);
    assertThat(defaults.dispatchInFlight()).isEqualTo(256);
    assertThat(defaults.dispatchQueue()).isEqualTo(50_000);
    assertThat(defaults.reconcileInFlight()).isEqualTo(2);
    assertThat(defaults.reconcileLingerMillis()).isEqualTo(3);

    HubConfig set = HubConfig.from(minimal().put("KYC_INBOX_IN_FLIGHT", "3").put("KYC_DISPATCH_IN_FLIGHT", 64)
        .put("KYC_DISPATCH_QUEUE", "0").put("KYC_RECONCILE_IN_FLIGHT", "8").put("KYC_RECONCILE_LINGER_MILLIS", "0"));
    assertThat(set.inboxInFlight()).isEqualTo(3);
    assertThat(set.dispatchInFlight()).isEqualTo(64);
    assertThat(set.dispatchQueue()).isZero();
    assertThat(set.reconcileInFlight()).isEqualTo(8);
    assertThat(set.reconcileLingerMillis()).isZero();
  }

  @Test
  void ingestLimitsOutOfRangeAreRefusedByName() {
    assertThatThrownBy(() -> HubConfig.from(minimal().put("KYC_DISPATCH_IN_FLIGHT", "20000")
            .put("KYC_INBOX_IN_FLIGHT", "0").put("KYC_DISPATCH_QUEUE", "lots").put("KYC_RECONCILE_IN_FLIGHT", "0")
            .put("KYC_RECONCILE_LINGER_MILLIS", "5000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KYC_DISPATCH_IN_FLIGHT: must be between 1 and 10000")
        .hasMessageContaining("KYC_INBOX_IN_FLIGHT: must be between 1 and 16")
        .hasMessageContaining("KYC_RECONCILE_LINGER_MILLIS: must be between 0 and 1000")
        .hasMessageContaining("KYC_DISPATCH_QUEUE: must be a whole number")
        .hasMessageContaining("KYC_RECONCILE_IN_FLIGHT: must be between 1 and 256");
  }
}
