package io.kychub.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.KycStatus;
import io.kychub.model.ReasonCode;
import io.kychub.providers.api.PollRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/** Driving a simulator over HTTP, as the README shows with curl. */
class ControlEndpointsTest extends SimulatorTestBase {

  private static HttpResponse<Buffer> post(ProviderSimulator sim, String path, JsonObject body) {
    return Await.result(webClient.postAbs(sim.baseUrl() + path).sendJsonObject(body));
  }

  @Test
  void postWebhooksSendsAnAuthenticatedWebhookAndAnswersTheHubsStatus() throws Exception {
    String customer = newCustomer();
    HttpResponse<Buffer> response = post(sims.sovera(), "/_sim/webhooks", new JsonObject()
        .put("tenant", TENANT).put("customerId", customer).put("status", "rejected").put("reason", "UNDERAGE"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("hubAnswers").getList()).containsExactly(200);
    CanonicalUpdate update = REGISTRY.find("sovera").orElseThrow().parse(hub.last()).updates().get(0);
    assertThat(update.subject()).isEqualTo(customer);
    assertThat(update.status()).isEqualTo(KycStatus.REJECTED);
    assertThat(update.reason().code()).isEqualTo(ReasonCode.UNDERAGE);
  }

  @Test
  void postWebhooksWithStatusesSendsASequence() {
    HttpResponse<Buffer> response = post(sims.p100(), "/_sim/webhooks", new JsonObject()
        .put("tenant", TENANT).put("customerId", newCustomer())
        .put("statuses", new io.vertx.core.json.JsonArray().add("pending").add("processing").add("verified"))
        .put("shuffle", true).put("duplicates", 1).put("seed", 3));

    assertThat(response.bodyAsJsonObject().getJsonArray("hubAnswers")).hasSize(4);
    assertThat(hub.received()).hasSize(4);
  }

  @Test
  void postCustomerStatusChangesWhatPollSeesWithoutAWebhook() {
    String customer = newCustomer();
    HttpResponse<Buffer> response = post(sims.p100(), "/_sim/customers/" + customer + "/status",
        new JsonObject().put("status", "expired"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("expired");
    assertThat(hub.received()).isEmpty();
    CanonicalUpdate polled = Await.result(client("p100").poll(api("p100"), new PollRequest(customer, null))).orElseThrow();
    assertThat(polled.status()).isEqualTo(KycStatus.EXPIRED);
  }

  @Test
  void postTargetsAddsATenant() {
    HttpResponse<Buffer> added = post(sims.ondato(), "/_sim/targets", new JsonObject()
        .put("hub", hub.url()).put("tenant", "beta").put("secret", "pw").put("username", "ondato"));
    assertThat(added.statusCode()).isEqualTo(204);

    HttpResponse<Buffer> sent = post(sims.ondato(), "/_sim/webhooks", new JsonObject()
        .put("tenant", "beta").put("customerId", newCustomer()).put("status", "pending"));
    assertThat(sent.statusCode()).isEqualTo(200);
    assertThat(hub.last().tenantId()).isEqualTo("beta");
    assertThat(hub.last().header("Authorization")).startsWith("Basic ");
  }

  @Test
  void faultsMakeTheApiFailUntilCleared() {
    assertThat(post(sims.ripio(), "/_sim/faults", new JsonObject().put("refuseAll", 418)).statusCode()).isEqualTo(204);
    assertThat(Await.result(webClient.getAbs(sims.ripio().baseUrl() + "/api/v1/customers/x/kycSubmissions/").send())
        .statusCode()).isEqualTo(418);
    assertThat(Await.result(webClient.deleteAbs(sims.ripio().baseUrl() + "/_sim/faults").send()).statusCode()).isEqualTo(204);
    assertThat(Await.result(webClient.getAbs(sims.ripio().baseUrl() + "/api/v1/customers/x/kycSubmissions/").send())
        .statusCode()).isEqualTo(401);
  }

  @Test
  void anUnknownStatusIsABadRequest() {
    HttpResponse<Buffer> response = post(sims.vivamo(), "/_sim/webhooks", new JsonObject()
        .put("tenant", TENANT).put("customerId", "c").put("status", "approved"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(hub.received()).isEmpty();
  }

  @Test
  void describeShowsTheApiSettingsForATenantCredential() {
    JsonObject info = Await.result(webClient.getAbs(sims.ondato().baseUrl() + "/_sim").send()).bodyAsJsonObject();
    assertThat(info.getString("provider")).isEqualTo("ondato");
    assertThat(info.getJsonObject("api").getString("baseUrl")).isEqualTo(sims.ondato().baseUrl());
    assertThat(info.getJsonObject("api").getString("clientId")).isEqualTo("sim-client");
    assertThat(info.getJsonArray("statuses").getList()).doesNotContain("under_review");
  }
}
