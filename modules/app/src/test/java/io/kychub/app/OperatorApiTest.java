package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator API: identity claims, starting verifications, manual review, client secrets, and
 * verify-once reuse across tenants (granted, refused by each policy rule, revoked). Sovera is the
 * provider here because its start needs no provider call (a configured kycURL).
 */
class OperatorApiTest {

  private static final String SECRET = "sovera-webhook-secret-0123456789";
  private static HubHarness hub;
  private static final Map<String, String> keys = new java.util.HashMap<>();
  private static int people;

  @BeforeAll
  static void start() throws Exception {
    hub = HubHarness.start(OperatorApiTest.class, Map.of());
    tenant("bank", true, true, 365);
    tenant("shop", true, true, 365);
    tenant("loner", false, true, 365);
    tenant("picky", true, false, 365);
    tenant("strict", true, true, 30);
  }

  @AfterAll
  static void stop() throws Exception {
    hub.close();
  }

  private static void tenant(String id, boolean share, boolean accept, int maxAgeDays) throws Exception {
    hub.createTenant(id, new JsonObject().put("share", share).put("accept", accept).put("maxAgeDays", maxAgeDays));
    hub.putCredential(id, "sovera", new JsonObject().put("webhookAuth", new JsonObject().put("username", "sovera")
        .put("secrets", new JsonArray().add(SECRET))).put("api", new JsonObject().put("kycUrl", "https://kyc.sovera.example/start?user={customerId}")));
    keys.put(id, hub.createApiKey(id));
  }

  /** Fresh identity claims for a new person. */
  private static JsonObject person() {
    people++;
    return new JsonObject().put("documentCountry", "es").put("documentNumber", "X-1234-" + people)
        .put("dateOfBirth", "1990-01-" + String.format("%02d", 1 + people % 28)).put("email", "p" + people + "@example.com");
  }

  private static HttpResponse<Buffer> call(String tenant, String method, String path, JsonObject body) throws Exception {
    return hub.operator(method, keys.get(tenant), path, body);
  }

  private static JsonObject start(String tenant, String customer) throws Exception {
    HttpResponse<Buffer> r = call(tenant, "POST", "/v1/customers/" + customer + "/verifications",
        new JsonObject().put("provider", "sovera"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  private static void soveraSays(String tenant, String customer, String status, String description, Instant at)
      throws Exception {
    String body = new JsonObject().put("metadata", new JsonObject().put("userId", customer)).put("status", status)
        .put("description", description).put("timeStamp", at.toString()).encode();
    HttpResponse<Buffer> r = hub.webhook(tenant, "sovera", body, Map.of("content-type", "application/json",
        "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("sovera:" + SECRET).getBytes())));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  /** Verifies {@code customer} of {@code tenant} with the given claims through the provider. */
  private static void verifiedAtProvider(String tenant, String customer, JsonObject claims) throws Exception {
    assertThat(call(tenant, "PUT", "/v1/customers/" + customer, claims).statusCode()).isEqualTo(200);
    start(tenant, customer);
    soveraSays(tenant, customer, "verified", "Verification signed", Instant.now());
    hub.awaitStatus(keys.get(tenant), customer, "verified");
  }

  @Test
  void startingAVerificationRecordsPendingWithTheProvidersLink() throws Exception {
    JsonObject started = start("bank", "start-1");
    assertThat(started.getString("status")).isEqualTo("pending");
    assertThat(started.getString("decidedBy")).isEqualTo("provider");
    assertThat(started.getString("url")).isEqualTo("https://kyc.sovera.example/start?user=start-1");
    JsonObject state = hub.kyc(keys.get("bank"), "start-1");
    assertThat(state.getString("verificationId")).isEqualTo(started.getString("verificationId"));
    soveraSays("bank", "start-1", "verification_inputs_completed", "Ongoing verification", Instant.now());
    hub.awaitStatus(keys.get("bank"), "start-1", "processing");
  }

  @Test
  void startWithAnUnknownOrUnconfiguredProviderIsRefused() throws Exception {
    assertThat(call("bank", "POST", "/v1/customers/x/verifications", new JsonObject().put("provider", "nope")).statusCode())
        .isEqualTo(400);
    HttpResponse<Buffer> unconfigured = call("bank", "POST", "/v1/customers/x/verifications",
        new JsonObject().put("provider", "ripio"));
    assertThat(unconfigured.statusCode()).isEqualTo(409);
    assertThat(unconfigured.bodyAsJsonObject().getString("error")).isEqualTo("provider_not_configured");
    assertThat(hub.kyc(keys.get("bank"), "x")).isNull();
  }

  @Test
  void badIdentityClaimsAre400AndTheRawNumberIsNeverStored() throws Exception {
    HttpResponse<Buffer> partial = call("bank", "PUT", "/v1/customers/claims-1", new JsonObject().put("documentNumber", "123"));
    HttpResponse<Buffer> badDate = call("bank", "PUT", "/v1/customers/claims-1", person().put("dateOfBirth", "31/12/1990"));
    assertThat(partial.statusCode()).isEqualTo(400);
    assertThat(badDate.statusCode()).isEqualTo(400);
    JsonObject claims = person().put("documentNumber", "ZZ-998877");
    HttpResponse<Buffer> ok = call("bank", "PUT", "/v1/customers/claims-1", claims);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.bodyAsJsonObject().getBoolean("identity")).isTrue();
    long rawCopies = hub.count("SELECT count(*) FROM customers WHERE position('ZZ998877' in "
        + "encode(coalesce(identity_fingerprint, ''::bytea), 'escape')) > 0");
    assertThat(rawCopies).isZero();
    assertThat(hub.sql("SELECT identity_fingerprint FROM customers WHERE tenant_id = 'bank' AND id = 'claims-1'")
        .get(0).getBuffer(0).length()).isEqualTo(32);
  }

  @Test
  void managerApprovesAndRejectsOnlyUnderReview() throws Exception {
    start("bank", "review-1");
    start("bank", "review-2");
    HttpResponse<Buffer> early = call("bank", "POST", "/v1/customers/review-1/kyc/decision", new JsonObject().put("verify", true));
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(early.bodyAsJsonObject().getString("error")).isEqualTo("not_under_review");

    soveraSays("bank", "review-1", "reviewNeeded", "AML checks need to be reviewed", Instant.now());
    soveraSays("bank", "review-2", "reviewNeeded", "The document uploaded has issues", Instant.now());
    hub.awaitStatus(keys.get("bank"), "review-1", "under_review");
    hub.awaitStatus(keys.get("bank"), "review-2", "under_review");
    JsonArray reviews = call("bank", "GET", "/v1/reviews", null).bodyAsJsonObject().getJsonArray("reviews");
    assertThat(reviews.stream().map(o -> ((JsonObject) o).getString("customerId")).toList()).contains("review-1", "review-2");

    HttpResponse<Buffer> approve = call("bank", "POST", "/v1/customers/review-1/kyc/decision", new JsonObject().put("verify", true));
    HttpResponse<Buffer> reject = call("bank", "POST", "/v1/customers/review-2/kyc/decision",
        new JsonObject().put("verify", false).put("note", "document photo is a screenshot"));
    assertThat(approve.statusCode()).isEqualTo(200);
    assertThat(reject.statusCode()).isEqualTo(200);
    assertThat(hub.kyc(keys.get("bank"), "review-1").getString("decidedBy")).isEqualTo("operator");
    JsonObject rejected = hub.kyc(keys.get("bank"), "review-2");
    assertThat(rejected.getString("status")).isEqualTo("rejected");
    assertThat(rejected.getJsonObject("reason").getString("detail")).isEqualTo("document photo is a screenshot");
    assertThat(call("bank", "POST", "/v1/customers/review-1/kyc/decision", new JsonObject().put("verify", false)).statusCode())
        .isEqualTo(409);
    assertThat(call("bank", "POST", "/v1/customers/review-1/kyc/decision", new JsonObject().put("verify", "yes")).statusCode())
        .isEqualTo(400);
    // A late provider update older than the manual decision does not undo it.
    soveraSays("bank", "review-1", "rejected", "AML checks rejected", Instant.now().minusSeconds(600));
    Thread.sleep(300);
    assertThat(hub.kyc(keys.get("bank"), "review-1").getString("status")).isEqualTo("verified");
  }

  @Test
  void reuseIsGrantedAtOnceAcrossTenantsThatShareAndAccept() throws Exception {
    JsonObject claims = person();
    verifiedAtProvider("bank", "ada", claims);
    assertThat(call("shop", "PUT", "/v1/customers/shop-ada", claims).statusCode()).isEqualTo(200);
    try (SseClient sse = hub.sse(keys.get("shop"), "?customerId=shop-ada", null)) {
      JsonObject started = start("shop", "shop-ada");
      assertThat(started.getString("status")).isEqualTo("verified");
      assertThat(started.getString("decidedBy")).isEqualTo("reuse");
      assertThat(started.containsKey("url")).isFalse();
      JsonObject event = sse.await(1, 10_000).get(0).data();
      assertThat(event.getString("tenantId")).isEqualTo("shop");
      assertThat(event.getString("customerId")).isEqualTo("shop-ada");
      assertThat(event.getString("decidedBy")).isEqualTo("reuse");
      assertThat(event.encode()).doesNotContain("bank").doesNotContain("\"ada\"");
    }
  }

  @Test
  void reuseIsRefusedWhenTheSourceDoesNotShareTheTargetDoesNotAcceptOrItIsTooOld() throws Exception {
    JsonObject lonerPerson = person();
    verifiedAtProvider("loner", "l-1", lonerPerson);
    call("shop", "PUT", "/v1/customers/s-l-1", lonerPerson);
    assertThat(start("shop", "s-l-1").getString("status")).as("share off").isEqualTo("pending");

    JsonObject bankPerson = person();
    verifiedAtProvider("bank", "b-1", bankPerson);
    call("picky", "PUT", "/v1/customers/p-b-1", bankPerson);
    assertThat(start("picky", "p-b-1").getString("status")).as("accept off").isEqualTo("pending");

    JsonObject oldPerson = person();
    verifiedAtProvider("bank", "b-old", oldPerson);
    hub.sql("UPDATE verifications SET decided_at = now() - interval '40 days' WHERE tenant_id = 'bank' AND customer_id = 'b-old'");
    call("strict", "PUT", "/v1/customers/st-old", oldPerson);
    assertThat(start("strict", "st-old").getString("status")).as("older than maxAgeDays 30").isEqualTo("pending");
    call("shop", "PUT", "/v1/customers/sh-old", oldPerson);
    assertThat(start("shop", "sh-old").getString("decidedBy")).as("within maxAgeDays 365").isEqualTo("reuse");

    JsonObject stranger = person();
    call("shop", "PUT", "/v1/customers/s-new", stranger);
    assertThat(start("shop", "s-new").getString("status")).as("nobody verified this person").isEqualTo("pending");
  }

  @Test
  void aPendingCustomerIsCompletedWhenThePersonIsVerifiedElsewhere() throws Exception {
    JsonObject claims = person();
    call("shop", "PUT", "/v1/customers/wait-1", claims);
    assertThat(start("shop", "wait-1").getString("status")).isEqualTo("pending");
    verifiedAtProvider("bank", "first-1", claims);
    JsonObject state = hub.awaitStatus(keys.get("shop"), "wait-1", "verified");
    assertThat(state.getString("decidedBy")).isEqualTo("reuse");
  }

  @Test
  void everyReuseExpiresWhenTheSourceLapses() throws Exception {
    JsonObject claims = person();
    verifiedAtProvider("bank", "src-1", claims);
    call("shop", "PUT", "/v1/customers/use-1", claims);
    call("strict", "PUT", "/v1/customers/use-2", claims);
    assertThat(start("shop", "use-1").getString("decidedBy")).isEqualTo("reuse");
    assertThat(start("strict", "use-2").getString("decidedBy")).isEqualTo("reuse");

    soveraSays("bank", "src-1", "rejected", "AML checks rejected", Instant.now().plusSeconds(5));
    for (String[] reuse : List.of(new String[] {"shop", "use-1"}, new String[] {"strict", "use-2"})) {
      JsonObject state = hub.awaitStatus(keys.get(reuse[0]), reuse[1], "expired");
      assertThat(state.getJsonObject("reason").getString("code")).isEqualTo("OTHER");
      assertThat(state.getJsonObject("reason").getString("detail")).contains("no longer valid");
    }
  }

  @Test
  void aRevokedApiKeyStopsWorkingWithinASecond() throws Exception {
    HttpResponse<Buffer> created = hub.await(hub.http.postAbs(hub.adminBase() + "/admin/tenants/bank/api-keys")
        .bearerTokenAuthentication(hub.adminToken).sendJsonObject(new JsonObject().put("label", "short-lived")));
    String apiKey = created.bodyAsJsonObject().getString("key");
    assertThat(hub.operator("GET", apiKey, "/v1/reviews", null).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> revoked = hub.await(hub.http.deleteAbs(hub.adminBase() + "/admin/tenants/bank/api-keys/"
        + created.bodyAsJsonObject().getString("id")).bearerTokenAuthentication(hub.adminToken).send());
    assertThat(revoked.statusCode()).isEqualTo(204);
    long deadline = System.currentTimeMillis() + 1000;
    int status = hub.operator("GET", apiKey, "/v1/reviews", null).statusCode();
    while (status != 401 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
      status = hub.operator("GET", apiKey, "/v1/reviews", null).statusCode();
    }
    assertThat(status).isEqualTo(401);
  }

  @Test
  void aClientSecretReadsOnlyItsCustomerAndDiesWithItsTime() throws Exception {
    HttpResponse<Buffer> issued = call("bank", "POST", "/v1/customers/cs-1/client-secret", null);
    assertThat(issued.statusCode()).isEqualTo(201);
    String secret = issued.bodyAsJsonObject().getString("clientSecret");
    Instant expires = Instant.parse(issued.bodyAsJsonObject().getString("expiresAt"));
    assertThat(expires).isBetween(Instant.now().plusSeconds(23 * 3600), Instant.now().plusSeconds(24 * 3600 + 60));
    // Its 24 hours are made two seconds, before the hub first reads it.
    hub.sql("UPDATE client_secrets SET expires_at = now() + interval '2 seconds'");
    try (SseClient mine = SseClient.connect(hub.node.vertx(), hub.node.publicPort(),
        "/v1/events?clientSecret=" + secret + "&customerId=cs-2", null, "0")) {
      start("bank", "cs-2");
      start("bank", "cs-1");
      List<SseClient.Event> events = mine.await(1, 10_000);
      Thread.sleep(300);
      assertThat(mine.events).extracting(e -> e.data().getString("customerId")).containsOnly("cs-1");
      assertThat(events.get(0).data().getString("tenantId")).isEqualTo("bank");
      // The open stream ends when the secret expires.
      long deadline = System.currentTimeMillis() + 6_000;
      while (!mine.ended && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(mine.ended).as("stream of an expired client secret ended").isTrue();
    }
    try (SseClient late = SseClient.connect(hub.node.vertx(), hub.node.publicPort(), "/v1/events?clientSecret=" + secret,
        null, null)) {
      assertThat(late.status).isEqualTo(401);
    }
    try (SseClient forged = SseClient.connect(hub.node.vertx(), hub.node.publicPort(), "/v1/events?clientSecret=cs_forged",
        null, null)) {
      assertThat(forged.status).isEqualTo(401);
    }
  }
}
