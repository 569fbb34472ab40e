package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.auth.WebhookSigner;
import io.kychub.store.InboxStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/** The whole path on one node, driven over HTTP as providers and operators would. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookToSseTest {

  private static final String SECRET = "whk-acme-0123456789abcdef";
  private static final String OTHER_SECRET = "whk-globex-0123456789abcdef";
  private static HubHarness hub;
  private static String acmeKey;
  private static String globexKey;
  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static final List<String> responses = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    hub = HubHarness.start(WebhookToSseTest.class, Map.of());
    acmeKey = hub.tenantWithEverything("acme", SECRET);
    globexKey = hub.tenantWithEverything("globex", OTHER_SECRET);
  }

  @AfterAll
  static void stop() throws Exception {
    hub.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  private static HttpResponse<Buffer> send(String tenant, String provider, String secret, String body) throws Exception {
    HttpResponse<Buffer> r = hub.signedWebhook(tenant, provider, secret, body);
    responses.add(r.bodyAsString());
    return r;
  }

  private static String sovera(String user, String status, String description, Instant at) {
    return new JsonObject().put("metadata", new JsonObject().put("userId", user)).put("status", status)
        .put("description", description).put("fullName", "Ada Lovelace").put("age", "36")
        .put("timeStamp", at.toString()).encode();
  }

  private static String ripio(String customer, String event, Instant at) {
    return new JsonObject().put("eventType", event).put("issueDatetime", at.toString())
        .put("payload", new JsonObject().put("submissionId", "sub-" + customer).put("customerId", customer)
            .put("createdAt", at.toString()).put("source", "API").put("metadata", new JsonObject()))
        .encode();
  }

  @Test
  void everyProviderWebhookBecomesACanonicalSseEvent() throws Exception {
    try (SseClient sse = hub.sse(acmeKey, "", null)) {
      assertThat(sse.status).isEqualTo(200);
      assertThat(sse.contentType).startsWith("text/event-stream");
      Instant t = Instant.parse("2026-03-12T14:22:22Z");
      send("acme", "vivamo", SECRET, new JsonObject().put("event", "kyc_verification")
          .put("externalCustomerId", "e2e-vivamo").put("status", "under_review").put("updatedAt", t.toString()).encode());
      send("acme", "sovera", SECRET, sovera("e2e-sovera", "rejected", "AML checks rejected", t));
      send("acme", "ripio", SECRET, ripio("e2e-ripio", "KYC.COMPLETED", t));
      send("acme", "p100", SECRET, new JsonObject().put("externalUserId", "e2e-p100")
          .put("verificationStatus", "NOT_VERIFIED").put("attemptStatus", "REJECTED_BY_PROVIDER")
          .put("rejectionReason", "NO_FACE_FOUND").encode());
      send("acme", "ondato", SECRET, new JsonObject().put("id", "3f6a2c9e-0000-4000-8000-000000000001")
          .put("applicationId", "app").put("createdUtc", t.toString()).put("type", "KycIdentification.Approved")
          .put("payload", new JsonObject().put("identityVerificationId", "idv-e2e").put("status", "Approved")
              .put("externalReferenceId", "e2e-ondato")).encode());

      Map<String, JsonObject> byCustomer = new HashMap<>();
      for (SseClient.Event e : sse.await(5, 10_000)) {
        assertThat(e.type()).isEqualTo("kyc.status_changed");
        assertThat(e.id()).isEqualTo(e.data().getString("id"));
        byCustomer.put(e.data().getString("customerId"), e.data());
      }
      assertThat(byCustomer.get("e2e-vivamo").getString("status")).isEqualTo("under_review");
      assertThat(byCustomer.get("e2e-sovera").getString("status")).isEqualTo("rejected");
      assertThat(byCustomer.get("e2e-sovera").getJsonObject("reason").getString("code")).isEqualTo("AML_HIT");
      assertThat(byCustomer.get("e2e-sovera").getJsonObject("reason").getString("detail")).isEqualTo("AML checks rejected");
      assertThat(byCustomer.get("e2e-sovera").getString("occurredAt")).isEqualTo(t.toString());
      assertThat(byCustomer.get("e2e-ripio").getString("status")).isEqualTo("verified");
      assertThat(byCustomer.get("e2e-p100").getString("status")).isEqualTo("rejected");
      assertThat(byCustomer.get("e2e-p100").getJsonObject("reason").getString("code")).isEqualTo("FACE_NOT_FOUND");
      assertThat(byCustomer.get("e2e-ondato").getString("status")).isEqualTo("verified");
      for (JsonObject event : byCustomer.values()) {
        assertThat(event.getString("tenantId")).isEqualTo("acme");
        assertThat(event.getString("decidedBy")).isEqualTo("provider");
        assertThat(event.getString("recordedAt")).isNotNull();
        assertThat(event.getString("verificationId")).isNotBlank();
      }
      JsonObject state = hub.kyc(acmeKey, "e2e-sovera");
      assertThat(state.getString("status")).isEqualTo("rejected");
      assertThat(state.getJsonArray("history")).hasSize(1);
    }
  }

  @Test
  void wrongSecretTamperedBodyAndMissingHeaderAre401AndStoreNothing() throws Exception {
    long before = hub.count("SELECT count(*) FROM inbox");
    String body = ripio("auth-1", "KYC.IN_REVIEW", Instant.now());
    Map<String, String> good = HubHarness.signed("ripio", SECRET, body);

    HttpResponse<Buffer> wrongSecret = hub.webhook("acme", "ripio", body, HubHarness.signed("ripio", "not-the-secret", body));
    HttpResponse<Buffer> tampered = hub.webhook("acme", "ripio", body.replace("auth-1", "auth-2"), good);
    Map<String, String> noSignature = new HashMap<>(good);
    noSignature.keySet().removeIf(k -> k.toLowerCase().contains("signature"));
    HttpResponse<Buffer> missing = hub.webhook("acme", "ripio", body, noSignature);
    HttpResponse<Buffer> otherTenantsSecret = hub.webhook("acme", "ripio", body, HubHarness.signed("ripio", OTHER_SECRET, body));
    HttpResponse<Buffer> basicWrong = hub.webhook("acme", "sovera", sovera("auth-3", "verified", "ok", Instant.now()),
        HubHarness.signed("sovera", "nope", "{}"));

    for (HttpResponse<Buffer> r : List.of(wrongSecret, tampered, missing, otherTenantsSecret, basicWrong)) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
      responses.add(r.bodyAsString());
    }
    assertThat(hub.count("SELECT count(*) FROM inbox")).isEqualTo(before);
    assertThat(hub.kyc(acmeKey, "auth-1")).isNull();
  }

  @Test
  void aDuplicateDeliveryIsAnswered200AndMakesOneEvent() throws Exception {
    String body = sovera("dup-1", "verified", "Verification signed", Instant.parse("2026-03-12T10:00:00Z"));
    HttpResponse<Buffer> first = send("acme", "sovera", SECRET, body);
    HttpResponse<Buffer> second = send("acme", "sovera", SECRET, body);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject().getBoolean("duplicate")).isFalse();
    assertThat(second.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
    awaitStatus("dup-1", "verified");
    Thread.sleep(300);
    assertThat(hub.count("SELECT count(*) FROM events WHERE tenant_id = 'acme' AND customer_id = 'dup-1'")).isEqualTo(1);
    assertThat(hub.count("SELECT count(*) FROM inbox WHERE tenant_id = 'acme' AND provider = 'sovera' AND body = $1",
        Buffer.buffer(body))).isEqualTo(1);
  }

  @Test
  void shuffledDeliveriesEndInTheLatestDecision() throws Exception {
    Instant t0 = Instant.parse("2026-04-01T09:00:00Z");
    List<String> bodies = new ArrayList<>(List.of(
        ripio("shuffle-1", "KYC.INCOMPLETE_USER_DATA", t0),
        ripio("shuffle-1", "KYC.IN_REVIEW", t0.plusSeconds(60)),
        ripio("shuffle-1", "KYC.FAILED", t0.plusSeconds(120)),
        ripio("shuffle-1", "KYC.COMPLETED", t0.plusSeconds(180))));
    Collections.shuffle(bodies, new Random(7));
    for (String body : bodies) {
      assertThat(send("acme", "ripio", SECRET, body).statusCode()).isEqualTo(200);
    }
    for (String body : bodies) {
      send("acme", "ripio", SECRET, body);
    }
    JsonObject state = awaitStatus("shuffle-1", "verified");
    assertThat(state.getString("occurredAt")).isEqualTo(t0.plusSeconds(180).toString());
    List<String> statuses = state.getJsonArray("history").stream()
        .map(o -> ((JsonObject) o).getString("status")).toList();
    assertThat(statuses).last().isEqualTo("verified");
    assertThat(statuses).doesNotHaveDuplicates();
  }

  @Test
  void resumingAfterLastEventIdDeliversExactlyTheMissedEvents() throws Exception {
    Instant t = Instant.parse("2026-05-01T09:00:00Z");
    String lastSeen;
    try (SseClient first = hub.sse(globexKey, "", null)) {
      send("globex", "sovera", OTHER_SECRET, sovera("resume-1", "verification_inputs_completed", "Ongoing", t));
      lastSeen = first.await(1, 10_000).get(0).id();
    }
    send("globex", "sovera", OTHER_SECRET, sovera("resume-1", "reviewNeeded", "AML checks need to be reviewed", t.plusSeconds(5)));
    send("globex", "sovera", OTHER_SECRET, sovera("resume-2", "verified", "Verification signed", t.plusSeconds(6)));
    awaitStatus(globexKey, "resume-2", "verified");
    try (SseClient resumed = hub.sse(globexKey, "", lastSeen);
         SseClient byQuery = hub.sse(globexKey, "?lastEventId=" + lastSeen, null)) {
      List<SseClient.Event> missed = resumed.await(2, 10_000);
      assertThat(missed).extracting(SseClient.Event::id)
          .containsExactly(Long.toString(Long.parseLong(lastSeen) + 1), Long.toString(Long.parseLong(lastSeen) + 2));
      assertThat(byQuery.await(2, 10_000)).extracting(SseClient.Event::id).isEqualTo(missed.stream().map(SseClient.Event::id).toList());
      send("globex", "sovera", OTHER_SECRET, sovera("resume-3", "rejected", "The user is underage", t.plusSeconds(7)));
      List<SseClient.Event> all = resumed.await(3, 10_000);
      assertThat(all).hasSize(3);
      assertThat(all.get(2).data().getString("customerId")).isEqualTo("resume-3");
      assertThat(resumed.retry).isNotNull();
    }
  }

  @Test
  void aTenantsKeyNeverSeesAnotherTenantsEvents() throws Exception {
    try (SseClient acme = hub.sse(acmeKey, "?lastEventId=0", null);
         SseClient globex = hub.sse(globexKey, "?lastEventId=0", null)) {
      send("globex", "p100", OTHER_SECRET, new JsonObject().put("externalUserId", "iso-1")
          .put("verificationStatus", "VERIFIED").encode());
      send("acme", "p100", SECRET, new JsonObject().put("externalUserId", "iso-2").put("verificationStatus", "VERIFIED").encode());
      awaitStatus("iso-2", "verified");
      awaitStatus(globexKey, "iso-1", "verified");
      Thread.sleep(500);
      assertThat(acme.events).allSatisfy(e -> assertThat(e.data().getString("tenantId")).isEqualTo("acme"));
      assertThat(globex.events).allSatisfy(e -> assertThat(e.data().getString("tenantId")).isEqualTo("globex"));
      assertThat(acme.events).extracting(e -> e.data().getString("customerId")).contains("iso-2").doesNotContain("iso-1");
      assertThat(hub.kyc(acmeKey, "iso-1")).isNull();
    }
  }

  @Test
  void customerFilterStreamsOnlyThatCustomer() throws Exception {
    try (SseClient one = hub.sse(acmeKey, "?customerId=filter-1", null)) {
      send("acme", "p100", SECRET, new JsonObject().put("externalUserId", "filter-2").put("verificationStatus", "VERIFIED").encode());
      send("acme", "p100", SECRET, new JsonObject().put("externalUserId", "filter-1").put("verificationStatus", "EXPIRED").encode());
      List<SseClient.Event> events = one.await(1, 10_000);
      awaitStatus("filter-2", "verified");
      Thread.sleep(300);
      assertThat(one.events).extracting(e -> e.data().getString("customerId")).containsOnly("filter-1");
      assertThat(events.get(0).data().getString("status")).isEqualTo("expired");
    }
  }

  @Test
  void badRequestsGetTheRightStatusAndJsonError() throws Exception {
    HttpResponse<Buffer> unknownTenant = hub.signedWebhook("nobody", "sovera", SECRET, "{}");
    HttpResponse<Buffer> unknownProvider = hub.webhook("acme", "acmeid", "{}", HubHarness.signed("ripio", SECRET, "{}"));
    HttpResponse<Buffer> notJson = send("acme", "ripio", SECRET, "this is not json");
    HttpResponse<Buffer> missingSubject = send("acme", "sovera", SECRET, "{\"status\":\"verified\"}");
    String big = "{\"pad\":\"" + "x".repeat(300 * 1024) + "\"}";
    HttpResponse<Buffer> tooLarge = hub.signedWebhook("acme", "ripio", SECRET, big);
    HttpResponse<Buffer> noKey = hub.await(hub.http.getAbs(hub.publicBase() + "/v1/customers/x/kyc").send());
    HttpResponse<Buffer> badKey = hub.await(hub.http.getAbs(hub.publicBase() + "/v1/customers/x/kyc")
        .bearerTokenAuthentication("kyc_not-a-key").send());
    HttpResponse<Buffer> unknownCustomer = hub.await(hub.http.getAbs(hub.publicBase() + "/v1/customers/nobody/kyc")
        .bearerTokenAuthentication(acmeKey).send());

    assertThat(unknownTenant.statusCode()).isEqualTo(404);
    assertThat(unknownProvider.statusCode()).isEqualTo(404);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(missingSubject.statusCode()).isEqualTo(400);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(badKey.statusCode()).isEqualTo(401);
    assertThat(unknownCustomer.statusCode()).isEqualTo(404);
    for (HttpResponse<Buffer> r : List.of(unknownTenant, unknownProvider, notJson, missingSubject, tooLarge, noKey, badKey,
        unknownCustomer)) {
      JsonObject error = r.bodyAsJsonObject();
      assertThat(error.getString("error")).isNotBlank();
      assertThat(error.getString("message")).isNotBlank();
      assertThat(r.bodyAsString()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void storageFailureAnswers503AndNever2xx() throws Exception {
    hub.sql("ALTER TABLE inbox RENAME TO inbox_offline");
    try {
      HttpResponse<Buffer> r = hub.signedWebhook("acme", "p100", SECRET,
          new JsonObject().put("externalUserId", "down-1").put("verificationStatus", "VERIFIED").encode());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("unavailable");
    } finally {
      hub.sql("ALTER TABLE inbox_offline RENAME TO inbox");
    }
    assertThat(hub.signedWebhook("acme", "p100", SECRET,
        new JsonObject().put("externalUserId", "down-1").put("verificationStatus", "VERIFIED").encode()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aStoredButUnappliedDeliveryIsAppliedByTheSweep() throws Exception {
    String body = sovera("crash-1", "verified", "Verification signed", Instant.parse("2026-06-01T09:00:00Z"));
    // As if the node had committed the delivery and died before handing it to the adapter.
    hub.sql("INSERT INTO inbox (tenant_id, provider, idempotency_key, received_at, headers, body, key_digest) "
        + "VALUES ('acme', 'sovera', 'crash-key', now() - interval '10 seconds', '{}'::jsonb, $1, $2)", Buffer.buffer(body),
        Buffer.buffer(InboxStore.keyDigest("acme", "sovera", "crash-key")));
    JsonObject state = awaitStatus("crash-1", "verified");
    assertThat(state.getJsonArray("history")).hasSize(1);
    assertThat(hub.count("SELECT count(*) FROM inbox WHERE idempotency_key = 'crash-key' AND applied_at IS NOT NULL"))
        .isEqualTo(1);
  }

  @Test
  void credentialChangesTakeEffectAtOnceAndRotationHasNoGap() throws Exception {
    hub.createTenant("rotor");
    String body = ripio("rot-1", "KYC.IN_REVIEW", Instant.parse("2026-07-01T09:00:00Z"));
    JsonArray both = new JsonArray().add("new-secret-0123456789")
        .add(new JsonObject().put("value", "old-secret-0123456789").put("notAfter", Instant.now().plusSeconds(3600).toString()));
    hub.putCredential("rotor", "ripio", new JsonObject().put("webhookAuth", new JsonObject().put("secrets", both)));
    assertThat(hub.signedWebhook("rotor", "ripio", "old-secret-0123456789", body).statusCode()).isEqualTo(200);
    assertThat(hub.signedWebhook("rotor", "ripio", "new-secret-0123456789", body).statusCode()).isEqualTo(200);

    hub.putCredential("rotor", "ripio", new JsonObject().put("webhookAuth",
        new JsonObject().put("secrets", new JsonArray().add("new-secret-0123456789"))));
    // Every node drops its cached credential within a second (the invalidation travels the event bus).
    assertThat(statusWithinASecond(() -> hub.signedWebhook("rotor", "ripio", "old-secret-0123456789", body).statusCode(), 401))
        .isEqualTo(401);
    assertThat(hub.signedWebhook("rotor", "ripio", "new-secret-0123456789", body).statusCode()).isEqualTo(200);

    String whsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    hub.putCredential("rotor", "ripio", new JsonObject().put("webhookAuth",
        new JsonObject().put("scheme", "standard-webhooks").put("secrets", new JsonArray().add(whsec))));
    WebhookAuthConfig sw = new WebhookAuthConfig("standard-webhooks", List.of(), null, null, null, null, null, List.of(), null);
    Map<String, String> headers = new HashMap<>(WebhookSigner.sign(sw, whsec, body.getBytes(StandardCharsets.UTF_8),
        Instant.now(), "msg_rotor_1"));
    assertThat(statusWithinASecond(() -> hub.webhook("rotor", "ripio", body, headers).statusCode(), 200)).isEqualTo(200);
    HttpResponse<Buffer> first = hub.webhook("rotor", "ripio", body, headers);
    String other = ripio("rot-2", "KYC.COMPLETED", Instant.parse("2026-07-01T09:05:00Z"));
    Map<String, String> sameId = new HashMap<>(WebhookSigner.sign(sw, whsec, other.getBytes(StandardCharsets.UTF_8),
        Instant.now(), "msg_rotor_1"));
    HttpResponse<Buffer> again = hub.webhook("rotor", "ripio", other, sameId);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getBoolean("duplicate")).as("same webhook-id is the same delivery").isTrue();
    assertThat(statusWithinASecond(() -> hub.signedWebhook("rotor", "ripio", "new-secret-0123456789", body).statusCode(), 401))
        .isEqualTo(401);
  }

  @Test
  void healthAndMetricsAnswer() throws Exception {
    send("acme", "p100", SECRET, new JsonObject().put("externalUserId", "metrics-1").put("verificationStatus", "VERIFIED").encode());
    HttpResponse<Buffer> live = hub.await(hub.http.getAbs(hub.publicBase() + "/health/live").send());
    HttpResponse<Buffer> ready = hub.await(hub.http.getAbs(hub.publicBase() + "/health/ready").send());
    HttpResponse<Buffer> metrics = hub.await(hub.http.getAbs(hub.publicBase() + "/metrics").send());
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsString()).contains("UP");
    assertThat(metrics.bodyAsString()).contains("kyc_webhooks_total{").contains("provider=\"p100\"")
        .contains("outcome=\"accepted\"").contains("kyc_sse_connections")
        // Vert.x's HTTP server metrics stay; its event-bus metrics are off (their cost per message)
        .contains("vertx_http_server_requests_total").doesNotContain("vertx_eventbus_")
        // each HTTP listener's inbox pool is measured on its own (one shared name merged them)
        .contains("pool_name=\"kyc-inbox-0\"").contains("pool_name=\"kyc-inbox-1\"");
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void noResponseAndNoLogLineContainsASecret() throws Exception {
    // runs last: checks every response and log line the other tests produced, plus admin read-backs
    HttpResponse<Buffer> credential = hub.await(hub.http.getAbs(hub.adminBase() + "/admin/tenants/acme/providers/ripio")
        .bearerTokenAuthentication(hub.adminToken).send());
    HttpResponse<Buffer> audit = hub.await(hub.http.getAbs(hub.adminBase() + "/admin/audit")
        .bearerTokenAuthentication(hub.adminToken).send());
    responses.add(credential.bodyAsString());
    responses.add(audit.bodyAsString());
    hub.signedWebhook("acme", "ripio", "wrong-" + SECRET, "{}");
    List<String> secrets = List.of(SECRET, OTHER_SECRET, HubHarness.JWT_SECRET);
    for (String text : responses) {
      for (String secret : secrets) {
        assertThat(text).doesNotContain(secret);
      }
    }
    for (ILoggingEvent event : logs.list) {
      String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
      for (String secret : secrets) {
        assertThat(line).doesNotContain(secret);
      }
    }
    assertThat(credential.bodyAsString()).contains("****");
  }

  /** The HTTP status a call returns once it returns {@code wanted}, or the last one after a second. */
  private static int statusWithinASecond(java.util.concurrent.Callable<Integer> call, int wanted) throws Exception {
    long deadline = System.currentTimeMillis() + 1000;
    int status = call.call();
    while (status != wanted && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
      status = call.call();
    }
    return status;
  }

  private static JsonObject awaitStatus(String customer, String status) throws Exception {
    return hub.awaitStatus(acmeKey, customer, status);
  }

  private static JsonObject awaitStatus(String apiKey, String customer, String status) throws Exception {
    return hub.awaitStatus(apiKey, customer, status);
  }
}
