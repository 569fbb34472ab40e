package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.KycStatus;
import io.kychub.simulator.HubTarget;
import io.kychub.simulator.ProviderSimulator;
import io.kychub.simulator.SimulatorConfig;
import io.kychub.simulator.Simulators;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every status change through one door, against a real hub and the providers' simulators: manual
 * decisions stand on their own and their forwarding is a follow-up; errors name the party at
 * fault; reuse is bound to the claims a verification was made for, and every way a source leaves
 * verified revokes its reuses.
 */
class OneDoorTest {

  private static final String SECRET = "door-webhook-secret-0123456789";
  private static HubHarness hub;
  private static Simulators sims;
  private static final Map<String, String> keys = new HashMap<>();
  private static int people;

  @BeforeAll
  static void start() throws Exception {
    hub = HubHarness.start(OneDoorTest.class, Map.of());
    sims = Simulators.start(hub.node.vertx(), SimulatorConfig.defaults()).await(10, TimeUnit.SECONDS);
    tenant("share-t", true, false, true);
    tenant("accept-t", false, true, true);
    tenant("noapi-t", false, false, false);
  }

  @AfterAll
  static void stop() throws Exception {
    sims.stop().await(10, TimeUnit.SECONDS);
    hub.close();
  }

  /** A tenant with a credential for every provider, their API settings pointing at the simulators (or none). */
  private static void tenant(String id, boolean share, boolean accept, boolean withApi) throws Exception {
    hub.createTenant(id, new JsonObject().put("share", share).put("accept", accept).put("maxAgeDays", 365));
    for (ProviderSimulator sim : sims.all()) {
      JsonObject credential = new JsonObject().put("webhookAuth", new JsonObject()
          .put("secrets", new JsonArray().add(SECRET)).put("username", "user-" + sim.name()));
      if (withApi) {
        credential.put("api", sim.apiSettings().toJson());
      }
      hub.putCredential(id, sim.name(), credential);
      sim.addTarget(HubTarget.of(hub.publicBase(), id, SECRET).withUsername("user-" + sim.name()));
    }
    keys.put(id, hub.createApiKey(id));
  }

  private static JsonObject person() {
    people++;
    return new JsonObject().put("documentCountry", "ES").put("documentNumber", "D00R" + people)
        .put("dateOfBirth", "1985-02-" + String.format("%02d", 1 + people % 28));
  }

  private static HttpResponse<Buffer> call(String tenant, String method, String path, JsonObject body) throws Exception {
    return hub.operator(method, keys.get(tenant), path, body);
  }

  private static void claims(String tenant, String customer, JsonObject claims) throws Exception {
    HttpResponse<Buffer> r = call(tenant, "PUT", "/v1/customers/" + customer, claims);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  private static JsonObject startAt(String tenant, String customer, String provider) throws Exception {
    HttpResponse<Buffer> r = call(tenant, "POST", "/v1/customers/" + customer + "/verifications",
        new JsonObject().put("provider", provider));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  /** A Vivamo webhook for the customer, with Vivamo's time. */
  private static void vivamoSays(String tenant, String customer, KycStatus status, Instant at) throws Exception {
    assertThat(sims.vivamo().sendWebhook(tenant, customer, status, null, at).await(10, TimeUnit.SECONDS)).isEqualTo(200);
  }

  /** Verified through Vivamo with these claims (a source when the tenant shares). */
  private static void verifiedAtVivamo(String tenant, String customer, JsonObject claims) throws Exception {
    claims(tenant, customer, claims);
    startAt(tenant, customer, "vivamo");
    vivamoSays(tenant, customer, KycStatus.VERIFIED, Instant.now());
    hub.awaitStatus(keys.get(tenant), customer, "verified");
  }

  /** A customer of the accepting tenant with these claims, verified at once by reuse. */
  private static void reusedAtStart(String customer, JsonObject claims) throws Exception {
    claims("accept-t", customer, claims);
    assertThat(startAt("accept-t", customer, "p100").getString("decidedBy")).isEqualTo("reuse");
  }

  private static JsonObject awaitStatus(String tenant, String customer, String status) throws Exception {
    return hub.awaitStatus(keys.get(tenant), customer, status);
  }

  // --- decisions stand on their own -----------------------------------------------------------

  @Test
  void aManualDecisionIsRecordedWhenTheProviderApiIsNotConfiguredAndItsForwardingWaits() throws Exception {
    vivamoSays("noapi-t", "nocfg-1", KycStatus.UNDER_REVIEW, Instant.now());
    awaitStatus("noapi-t", "nocfg-1", "under_review");
    HttpResponse<Buffer> decided = call("noapi-t", "POST", "/v1/customers/nocfg-1/kyc/decision",
        new JsonObject().put("verify", true));
    assertThat(decided.statusCode()).as(decided.bodyAsString()).isEqualTo(200);
    assertThat(decided.bodyAsJsonObject().getString("status")).isEqualTo("verified");
    assertThat(decided.bodyAsJsonObject().getString("forwarding")).isEqualTo("pending");
    JsonObject state = awaitStatus("noapi-t", "nocfg-1", "verified");
    JsonObject last = state.getJsonArray("history").getJsonObject(state.getJsonArray("history").size() - 1);
    assertThat(last.getString("decidedBy")).isEqualTo("operator");
    assertThat(last.getString("forwarding")).isEqualTo("pending");
    // The follow-up is tried and waits for the settings, saying why.
    long deadline = System.currentTimeMillis() + 10_000;
    String error = null;
    while (error == null && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      error = hub.sql("SELECT last_error FROM follow_ups WHERE tenant_id = 'noapi-t' AND customer_id = 'nocfg-1'")
          .get(0).getString(0);
    }
    assertThat(error).contains("not configured");
    assertThat(hub.sql("SELECT state FROM follow_ups WHERE tenant_id = 'noapi-t' AND customer_id = 'nocfg-1'")
        .get(0).getString(0)).isEqualTo("pending");
  }

  @Test
  void aManualDecisionWhileVivamoIsDownIsRecordedAndForwardedOnceItIsBack() throws Exception {
    startAt("share-t", "down-1", "vivamo");
    vivamoSays("share-t", "down-1", KycStatus.UNDER_REVIEW, Instant.now());
    awaitStatus("share-t", "down-1", "under_review");
    sims.vivamo().failNext(6, 503);
    try {
      HttpResponse<Buffer> decided = call("share-t", "POST", "/v1/customers/down-1/kyc/decision",
          new JsonObject().put("verify", false).put("note", "document is a photocopy"));
      assertThat(decided.statusCode()).as(decided.bodyAsString()).isEqualTo(200);
      assertThat(decided.bodyAsJsonObject().getString("forwarding")).isEqualTo("pending");
      assertThat(awaitStatus("share-t", "down-1", "rejected").getJsonObject("reason").getString("detail"))
          .isEqualTo("document is a photocopy");
      long deadline = System.currentTimeMillis() + 20_000;
      String forwarding = "pending";
      while (!forwarding.equals("sent") && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
        JsonArray history = hub.kyc(keys.get("share-t"), "down-1").getJsonArray("history");
        forwarding = history.getJsonObject(history.size() - 1).getString("forwarding");
      }
      assertThat(forwarding).isEqualTo("sent");
      assertThat(sims.vivamo().customer("down-1").orElseThrow().status()).isEqualTo(KycStatus.REJECTED);
      assertThat(hub.count("SELECT attempts FROM follow_ups WHERE customer_id = 'down-1'")).as("retried").isGreaterThan(1);
    } finally {
      sims.vivamo().clearFaults();
    }
  }

  @Test
  void aDecisionForAProviderWithoutADecisionApiIsNotForwarded() throws Exception {
    vivamoSays("share-t", "plain-1", KycStatus.UNDER_REVIEW, Instant.now());
    awaitStatus("share-t", "plain-1", "under_review");
    String body = new JsonObject().put("metadata", new JsonObject().put("userId", "plain-2")).put("status", "reviewNeeded")
        .put("description", "Compliance review").put("timeStamp", Instant.now().toString()).encode();
    assertThat(hub.signedWebhook("share-t", "sovera", SECRET, body).statusCode()).isEqualTo(200);
    awaitStatus("share-t", "plain-2", "under_review");
    HttpResponse<Buffer> decided = call("share-t", "POST", "/v1/customers/plain-2/kyc/decision",
        new JsonObject().put("verify", true));
    assertThat(decided.bodyAsJsonObject().getString("forwarding")).isEqualTo("not_supported");
    assertThat(hub.count("SELECT count(*) FROM follow_ups WHERE customer_id = 'plain-2' AND kind = 'provider.forward'")).isZero();
  }

  // --- errors name the right party -------------------------------------------------------------

  @Test
  void aStartWithoutTheProvidersApiSettingsIsTheHubsProblemNotTheProviders() throws Exception {
    int calls = sims.p100().apiCalls();
    HttpResponse<Buffer> r = call("noapi-t", "POST", "/v1/customers/nocfg-2/verifications",
        new JsonObject().put("provider", "p100"));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("provider_not_configured");
    assertThat(r.bodyAsJsonObject().getString("message")).contains("baseUrl");
    assertThat(sims.p100().apiCalls()).as("no provider was called").isEqualTo(calls);
    assertThat(hub.count("SELECT count(*) FROM verifications WHERE customer_id = 'nocfg-2'")).isZero();
  }

  @Test
  void unknownFieldsInOperatorBodiesAre400NamingThemAndChangeNothing() throws Exception {
    JsonObject claims = person();
    claims("share-t", "nested-1", claims);
    byte[] before = hub.sql("SELECT identity_fingerprint FROM customers WHERE id = 'nested-1'").get(0).getBuffer(0).getBytes();
    HttpResponse<Buffer> nested = call("share-t", "PUT", "/v1/customers/nested-1", new JsonObject().put("identity", claims));
    assertThat(nested.statusCode()).isEqualTo(400);
    assertThat(nested.bodyAsJsonObject().getString("message")).contains("identity");
    assertThat(hub.sql("SELECT identity_fingerprint FROM customers WHERE id = 'nested-1'").get(0).getBuffer(0).getBytes())
        .as("the claims the customer had").isEqualTo(before);
    HttpResponse<Buffer> start = call("share-t", "POST", "/v1/customers/nested-1/verifications",
        new JsonObject().put("provider", "p100").put("callback", "x"));
    assertThat(start.statusCode()).isEqualTo(400);
    assertThat(start.bodyAsJsonObject().getString("message")).contains("callback");
    HttpResponse<Buffer> decision = call("share-t", "POST", "/v1/customers/nested-1/kyc/decision",
        new JsonObject().put("verify", true).put("approve", true));
    assertThat(decision.statusCode()).isEqualTo(400);
    assertThat(decision.bodyAsJsonObject().getString("message")).contains("approve");
  }

  // --- reuse binding ---------------------------------------------------------------------------

  @Test
  void claimsRewrittenAfterADecisionNeverInheritIt() throws Exception {
    JsonObject p3 = person();
    JsonObject p4 = person();
    verifiedAtVivamo("share-t", "cx-5", p3);
    // The end user types someone else's document number after being verified.
    claims("share-t", "cx-5", p4);
    claims("accept-t", "a-p4", p4);
    JsonObject p4Start = startAt("accept-t", "a-p4", "p100");
    assertThat(p4Start.getString("decidedBy")).as("nobody verified P4").isEqualTo("provider");
    assertThat(p4Start.getString("status")).isEqualTo("pending");
    claims("accept-t", "a-p3", p3);
    assertThat(startAt("accept-t", "a-p3", "p100").getString("decidedBy")).as("the real P3 is still reused").isEqualTo("reuse");
  }

  // --- complete revocation ---------------------------------------------------------------------

  @Test
  void aProvidersRejectionOfTheSourceRevokesItsReuses() throws Exception {
    JsonObject p = person();
    verifiedAtVivamo("share-t", "src-rej", p);
    reusedAtStart("use-rej", p);
    vivamoSays("share-t", "src-rej", KycStatus.REJECTED, Instant.now().plusSeconds(1));
    assertLapsed("use-rej");
  }

  @Test
  void theSourcesExpiryRevokesItsReuses() throws Exception {
    JsonObject p = person();
    verifiedAtVivamo("share-t", "src-exp", p);
    reusedAtStart("use-exp", p);
    vivamoSays("share-t", "src-exp", KycStatus.EXPIRED, Instant.now().plusSeconds(1));
    assertLapsed("use-exp");
  }

  @Test
  void aReviewOfTheSourceThatEndsInAnOperatorsRejectionRevokesItsReuses() throws Exception {
    JsonObject p = person();
    verifiedAtVivamo("share-t", "src-rev", p);
    reusedAtStart("use-rev", p);
    vivamoSays("share-t", "src-rev", KycStatus.UNDER_REVIEW, Instant.now().plusSeconds(1));
    awaitStatus("share-t", "src-rev", "under_review");
    Thread.sleep(500);
    assertThat(hub.kyc(keys.get("accept-t"), "use-rev").getString("status")).as("while under review").isEqualTo("verified");
    assertThat(call("share-t", "POST", "/v1/customers/src-rev/kyc/decision", new JsonObject().put("verify", false))
        .statusCode()).isEqualTo(200);
    assertLapsed("use-rev");
  }

  @Test
  void aNewStartForTheSourceThatIsRejectedRevokesItsReuses() throws Exception {
    JsonObject p = person();
    verifiedAtVivamo("share-t", "src-again", p);
    reusedAtStart("use-again", p);
    // A second verification of the source customer, at another provider, rejected.
    startAt("share-t", "src-again", "p100");
    assertThat(sims.p100().sendWebhook("share-t", "src-again", KycStatus.REJECTED, null, Instant.now()).await(10, TimeUnit.SECONDS))
        .isEqualTo(200);
    awaitStatus("share-t", "src-again", "rejected");
    assertLapsed("use-again");
  }

  @Test
  void aRevocationLeftByANodeThatDiedIsTakenOver() throws Exception {
    JsonObject p = person();
    verifiedAtVivamo("share-t", "src-dead", p);
    reusedAtStart("use-dead", p);
    // As a node that claimed the revocation and died would leave it: pending, its lease run out.
    hub.sql("INSERT INTO follow_ups (kind, tenant_id, customer_id, attempts, claimed_until) "
        + "VALUES ('reuse.revoke', 'share-t', 'src-dead', 1, now() - interval '1 second')");
    // The source leaves verified in a way that records nothing itself: only the left-over follow-up can revoke.
    hub.sql("UPDATE customers SET status = 'rejected', reuse_source = false WHERE tenant_id = 'share-t' AND id = 'src-dead'");
    assertLapsed("use-dead");
    assertThat(hub.count("SELECT count(*) FROM follow_ups WHERE customer_id = 'src-dead' AND kind = 'reuse.revoke' "
        + "AND state = 'done'")).isEqualTo(1);
    assertThat(hub.count("SELECT count(*) FROM events WHERE tenant_id = 'accept-t' AND customer_id = 'use-dead' "
        + "AND payload->>'status' = 'expired'")).as("revoked exactly once").isEqualTo(1);
  }

  private static void assertLapsed(String reuser) throws Exception {
    JsonObject state = awaitStatus("accept-t", reuser, "expired");
    assertThat(state.getString("decidedBy")).isEqualTo("reuse");
    assertThat(state.getJsonObject("reason").getString("detail")).contains("no longer valid");
    assertThat(List.of(state.encode())).noneMatch(s -> s.contains("share-t"));
  }
}
