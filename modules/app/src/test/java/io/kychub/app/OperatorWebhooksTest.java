package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.RawWebhook;
import io.kychub.model.SecretValue;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.auth.AuthResult;
import io.kychub.providers.auth.WebhookAuthenticator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operator webhooks through a real hub to real HTTP receivers: the endpoint API, Standard Webhooks
 * signatures checked by an independent verifier (the hub's own inbound scheme), rotation, filters,
 * replay, attempts, auto-disable, the admin API, and the SSRF rules on a hub that allows only
 * public targets.
 */
class OperatorWebhooksTest {

  private static final String SECRET = "owh-webhook-secret-0123456789";
  private static HubHarness hub;
  private static HubHarness strict;
  private static HttpServer receiver;
  private static String key;
  private static String strictKey;
  /** Requests by receiver path. */
  private static final Map<String, List<Delivery>> byPath = new ConcurrentHashMap<>();
  /** Status each path answers (default 200). */
  private static final Map<String, Integer> answers = new ConcurrentHashMap<>();

  record Delivery(Map<String, String> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    hub = HubHarness.start(OperatorWebhooksTest.class, Map.of("KYC_WEBHOOK_ALLOW_PRIVATE_TARGETS", true,
        "KYC_WEBHOOK_RETRY_SCALE", "0.02", "KYC_WEBHOOK_DISABLE_AFTER_SECONDS", 2, "KYC_WEBHOOK_TIMEOUT_MILLIS", 1000));
    key = hub.tenantWithEverything("owh", SECRET);
    strict = HubHarness.start(OperatorWebhooksTest.class, Map.of());
    strictKey = strict.tenantWithEverything("strict", SECRET);
    receiver = hub.node.vertx().createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      Map<String, String> headers = new HashMap<>();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      byPath.computeIfAbsent(request.path(), p -> new CopyOnWriteArrayList<>()).add(new Delivery(headers, body.toString()));
      request.response().setStatusCode(answers.getOrDefault(request.path(), 200)).end("ok");
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    receiver.close().await(5, TimeUnit.SECONDS);
    strict.close();
    hub.close();
  }

  private static String target(String path) {
    return "http://127.0.0.1:" + receiver.actualPort() + path;
  }

  private static HttpResponse<Buffer> api(String method, String path, JsonObject body) throws Exception {
    return hub.operator(method, key, path, body);
  }

  private static JsonObject create(String path, JsonArray statusesOrNull) throws Exception {
    JsonObject body = new JsonObject().put("url", target(path)).put("description", "test " + path);
    if (statusesOrNull != null) {
      body.put("statuses", statusesOrNull);
    }
    HttpResponse<Buffer> r = api("POST", "/v1/webhook-endpoints", body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  private static void p100(String customer, String status) throws Exception {
    String body = new JsonObject().put("externalUserId", customer).put("verificationStatus", status).encode();
    assertThat(hub.signedWebhook("owh", "p100", SECRET, body).statusCode()).isEqualTo(200);
  }

  private static List<Delivery> await(String path, int n) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline) {
      List<Delivery> got = byPath.getOrDefault(path, List.of());
      if (got.size() >= n) {
        return List.copyOf(got);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("expected " + n + " deliveries at " + path + ", got " + byPath.getOrDefault(path, List.of()));
  }

  /** The hub's own Standard Webhooks verifier (the inbound scheme), with the endpoint's secrets. */
  private static AuthResult verify(Delivery d, String... secrets) {
    WebhookAuthConfig auth = new WebhookAuthConfig(WebhookAuthenticator.STANDARD_WEBHOOKS,
        java.util.Arrays.stream(secrets).map(s -> new SecretValue(s, null)).toList(), null, null, null, null, null,
        List.of(), null);
    return new WebhookAuthenticator().verify(auth, new RawWebhook("t", "x", d.headers(),
        d.body().getBytes(StandardCharsets.UTF_8), "127.0.0.1", Instant.now()), Instant.now());
  }

  @Test
  void anEndpointGetsEveryEventSignedAndItsSecretIsShownOnce() throws Exception {
    JsonObject endpoint = create("/all", null);
    String secret = endpoint.getString("secret");
    assertThat(secret).startsWith("whsec_");
    JsonObject read = api("GET", "/v1/webhook-endpoints/" + endpoint.getString("id"), null).bodyAsJsonObject();
    assertThat(read.encode()).doesNotContain(secret).doesNotContain("secrets");
    assertThat(read.getBoolean("enabled")).isTrue();
    p100("owh-1", "VERIFIED");
    Delivery d = await("/all", 1).get(0);
    assertThat(verify(d, secret)).isEqualTo(AuthResult.OK);
    assertThat(verify(d, "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]))).isNotEqualTo(AuthResult.OK);
    assertThat(d.headers()).containsKeys("webhook-id", "webhook-timestamp", "webhook-signature");
    assertThat(d.headers().get("content-type")).isEqualTo("application/json");
    JsonObject event = d.json();
    assertThat(event.getString("type")).isEqualTo("kyc.status_changed");
    assertThat(event.getString("customerId")).isEqualTo("owh-1");
    assertThat(event.getString("status")).isEqualTo("verified");
    assertThat(hub.count("SELECT count(*) FROM events WHERE tenant_id = 'owh' AND seq = $1",
        Long.parseLong(event.getString("id")))).as("the same event as the log's").isEqualTo(1);
  }

  @Test
  void aFailingReceiverIsRetriedWithTheSameIdAndItsAttemptsAreListed() throws Exception {
    answers.put("/flaky", 500);
    JsonObject endpoint = create("/flaky", null);
    p100("owh-flaky", "VERIFIED");
    List<Delivery> failed = await("/flaky", 2);
    answers.put("/flaky", 200);
    List<Delivery> all = await("/flaky", 3);
    assertThat(all).extracting(d -> d.headers().get("webhook-id")).containsOnly(failed.get(0).headers().get("webhook-id"));
    String id = endpoint.getString("id");
    long deadline = System.currentTimeMillis() + 10_000;
    JsonArray delivered = new JsonArray();
    while (delivered.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      delivered = api("GET", "/v1/webhook-endpoints/" + id + "/attempts?status=delivered", null).bodyAsJsonObject()
          .getJsonArray("attempts");
    }
    assertThat(delivered).hasSize(1);
    JsonArray retrying = api("GET", "/v1/webhook-endpoints/" + id + "/attempts?status=retrying", null).bodyAsJsonObject()
        .getJsonArray("attempts");
    assertThat(retrying.size()).isGreaterThanOrEqualTo(2);
    assertThat(retrying.getJsonObject(0).getInteger("statusCode")).isEqualTo(500);
    assertThat(retrying.getJsonObject(0).getString("response")).isEqualTo("ok");
    assertThat(retrying.getJsonObject(0).getInteger("latencyMillis")).isNotNull();
  }

  @Test
  void duringARotationBothSecretsSign() throws Exception {
    JsonObject endpoint = create("/rotated", null);
    String old = endpoint.getString("secret");
    HttpResponse<Buffer> rotated = api("POST", "/v1/webhook-endpoints/" + endpoint.getString("id") + "/rotate-secret", null);
    assertThat(rotated.statusCode()).isEqualTo(200);
    String fresh = rotated.bodyAsJsonObject().getString("secret");
    assertThat(Instant.parse(rotated.bodyAsJsonObject().getString("previousSecretValidUntil")))
        .isAfter(Instant.now().plusSeconds(23 * 3600));
    p100("owh-rot", "VERIFIED");
    Delivery d = await("/rotated", 1).get(0);
    assertThat(d.headers().get("webhook-signature").split(" ")).hasSize(2);
    assertThat(verify(d, old)).isEqualTo(AuthResult.OK);
    assertThat(verify(d, fresh)).isEqualTo(AuthResult.OK);
  }

  @Test
  void anEndpointGetsOnlyItsStatusesAndReplaysSendAgain() throws Exception {
    JsonObject endpoint = create("/verified-only", new JsonArray().add("verified"));
    String id = endpoint.getString("id");
    p100("owh-filter", "NOT_VERIFIED");
    p100("owh-filter", "VERIFIED");
    List<Delivery> got = await("/verified-only", 1);
    Thread.sleep(500);
    assertThat(byPath.get("/verified-only")).hasSize(1);
    assertThat(got.get(0).json().getString("status")).isEqualTo("verified");
    String eventId = got.get(0).json().getString("id");
    HttpResponse<Buffer> replay = api("POST", "/v1/webhook-endpoints/" + id + "/replay",
        new JsonObject().put("eventIds", new JsonArray().add(eventId)));
    assertThat(replay.statusCode()).isEqualTo(202);
    assertThat(replay.bodyAsJsonObject().getInteger("replayed")).isEqualTo(1);
    List<Delivery> again = await("/verified-only", 2);
    assertThat(again.get(1).headers().get("webhook-id")).isEqualTo(again.get(0).headers().get("webhook-id"));
    HttpResponse<Buffer> since = api("POST", "/v1/webhook-endpoints/" + id + "/replay",
        new JsonObject().put("since", Long.parseLong(eventId) - 1));
    assertThat(since.bodyAsJsonObject().getInteger("replayed")).as("of its statuses only").isEqualTo(1);
    assertThat(api("POST", "/v1/webhook-endpoints/" + id + "/replay", new JsonObject()).statusCode()).isEqualTo(400);
  }

  @Test
  void anEndpointThatOnlyFailsIsDisabledWithAnAuditEntry() throws Exception {
    answers.put("/dead", 503);
    JsonObject endpoint = create("/dead", null);
    String id = endpoint.getString("id");
    p100("owh-dead", "VERIFIED");
    long deadline = System.currentTimeMillis() + 20_000;
    JsonObject now = null;
    while (System.currentTimeMillis() < deadline) {
      now = api("GET", "/v1/webhook-endpoints/" + id, null).bodyAsJsonObject();
      if (!now.getBoolean("enabled")) {
        break;
      }
      p100("owh-dead-" + System.nanoTime(), "VERIFIED");
      Thread.sleep(300);
    }
    assertThat(now.getBoolean("enabled")).isFalse();
    assertThat(now.getString("disabledReason")).contains("failed for too long");
    assertThat(hub.count("SELECT count(*) FROM audit_log WHERE action = 'webhook.endpoint.disable' AND target LIKE $1",
        "%" + id)).isEqualTo(1);
    assertThat(api("GET", "/v1/webhook-endpoints?status=disabled", null).bodyAsJsonObject().getJsonArray("endpoints")
        .stream().map(e -> ((JsonObject) e).getString("id"))).contains(id);
    // Enabled again by its operator, it is sent to again.
    answers.put("/dead", 200);
    assertThat(api("PATCH", "/v1/webhook-endpoints/" + id, new JsonObject().put("enabled", true)).statusCode()).isEqualTo(200);
    int before = byPath.get("/dead").size();
    p100("owh-alive", "VERIFIED");
    await("/dead", before + 1);
  }

  @Test
  void theEndpointApiValidatesAuditsAndCapsAt20() throws Exception {
    String capKey = hub.tenantWithEverything("owh-cap", SECRET);
    assertThat(hub.operator("POST", capKey, "/v1/webhook-endpoints", new JsonObject().put("url", "x")).statusCode()).isEqualTo(400);
    assertThat(hub.operator("POST", capKey, "/v1/webhook-endpoints", new JsonObject().put("url", target("/x")).put("statuses",
        new JsonArray().add("approved"))).statusCode()).isEqualTo(400);
    assertThat(hub.operator("POST", capKey, "/v1/webhook-endpoints", new JsonObject().put("url", target("/x")).put("hmac", "md5"))
        .bodyAsJsonObject().getString("message")).contains("hmac");
    assertThat(hub.operator("GET", capKey, "/v1/webhook-endpoints/we_AAAAAAAAAAAAAAAA", null).statusCode()).isEqualTo(404);
    assertThat(hub.operator("GET", capKey, "/v1/webhook-endpoints/%00", null).statusCode()).isEqualTo(400);
    String other = strict.operator("GET", strictKey, "/v1/webhook-endpoints", null).bodyAsString();
    assertThat(other).doesNotContain("/all");
    int existing = hub.operator("GET", capKey, "/v1/webhook-endpoints", null).bodyAsJsonObject().getJsonArray("endpoints").size();
    for (int i = existing; i < 20; i++) {
      assertThat(hub.operator("POST", capKey, "/v1/webhook-endpoints", new JsonObject().put("url", target("/cap-" + i)))
          .statusCode()).isEqualTo(201);
    }
    HttpResponse<Buffer> tooMany = hub.operator("POST", capKey, "/v1/webhook-endpoints", new JsonObject().put("url", target("/cap-x")));
    assertThat(tooMany.statusCode()).isEqualTo(409);
    assertThat(tooMany.bodyAsJsonObject().getString("error")).isEqualTo("too_many_endpoints");
    String some = hub.operator("GET", capKey, "/v1/webhook-endpoints", null).bodyAsJsonObject().getJsonArray("endpoints").getJsonObject(19)
        .getString("id");
    assertThat(hub.operator("DELETE", capKey, "/v1/webhook-endpoints/" + some, null).statusCode()).isEqualTo(204);
    assertThat(hub.count("SELECT count(*) FROM audit_log WHERE action = 'webhook.endpoint.delete'")).isEqualTo(1);
    assertThat(hub.count("SELECT count(*) FROM audit_log WHERE action = 'webhook.endpoint.create' AND actor LIKE 'apikey:ak_%' "
        + "AND target LIKE 'webhook-endpoint:owh-cap/%'"))
        .isGreaterThanOrEqualTo(20);
    // The admin API lists a tenant's endpoints and disables one.
    HttpResponse<Buffer> listed = hub.await(hub.http.getAbs(hub.adminBase() + "/admin/tenants/owh-cap/webhook-endpoints")
        .bearerTokenAuthentication(hub.adminToken).send());
    assertThat(listed.bodyAsJsonObject().getJsonArray("endpoints")).hasSize(19);
    String first = listed.bodyAsJsonObject().getJsonArray("endpoints").getJsonObject(0).getString("id");
    assertThat(hub.await(hub.http.postAbs(hub.adminBase() + "/admin/tenants/owh-cap/webhook-endpoints/" + first + "/disable")
        .bearerTokenAuthentication(hub.adminToken).send()).statusCode()).isEqualTo(204);
    assertThat(hub.operator("GET", capKey, "/v1/webhook-endpoints/" + first, null).bodyAsJsonObject().getBoolean("enabled")).isFalse();
    assertThat(hub.operator("PATCH", capKey, "/v1/webhook-endpoints/" + first, new JsonObject().put("enabled", true)).statusCode()).isEqualTo(200);
  }

  @Test
  void onlyPublicHttpsTargetsUnlessPrivateOnesAreAllowed() throws Exception {
    for (String url : List.of("http://hooks.example.com/kyc", "https://127.0.0.1/kyc", "https://10.0.0.1/kyc",
        "https://169.254.169.254/latest/meta-data", "https://[::1]/kyc", "https://localhost/kyc", "https://192.168.1.10/kyc")) {
      HttpResponse<Buffer> r = strict.operator("POST", strictKey, "/v1/webhook-endpoints", new JsonObject().put("url", url));
      assertThat(r.statusCode()).as(url).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("message")).as(url).containsAnyOf("https", "private", "loopback");
    }
    assertThat(strict.count("SELECT count(*) FROM webhook_endpoints")).isZero();
    // A public https target is accepted (it is never called in this test).
    HttpResponse<Buffer> ok = strict.operator("POST", strictKey, "/v1/webhook-endpoints",
        new JsonObject().put("url", "https://93.184.216.34/kyc"));
    assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(201);
    // And a change to a private target is refused too.
    assertThat(strict.operator("PATCH", strictKey, "/v1/webhook-endpoints/" + ok.bodyAsJsonObject().getString("id"),
        new JsonObject().put("url", "https://10.1.1.1/x")).statusCode()).isEqualTo(400);
  }

  @Test
  void eventsOfACustomerArriveInOrderWhileAnotherCustomersFlow() throws Exception {
    create("/ordered", null);
    for (String status : List.of("NOT_VERIFIED", "VERIFIED", "EXPIRED")) {
      p100("owh-ord-a", status);
      p100("owh-ord-b", status);
    }
    hub.awaitStatus(key, "owh-ord-a", "expired");
    hub.awaitStatus(key, "owh-ord-b", "expired");
    for (String customer : List.of("owh-ord-a", "owh-ord-b")) {
      List<Long> logged = hub.sql("SELECT seq FROM events WHERE tenant_id = 'owh' AND customer_id = $1 ORDER BY seq", customer)
          .stream().map(r -> r.getLong(0)).toList();
      long deadline = System.currentTimeMillis() + 15_000;
      List<Long> ids = List.of();
      while (ids.size() < logged.size() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
        ids = byPath.getOrDefault("/ordered", List.of()).stream().filter(d -> d.json().getString("customerId").equals(customer))
            .map(d -> Long.parseLong(d.json().getString("id"))).toList();
      }
      assertThat(ids).as(customer + ": every event once, in the log's order").isEqualTo(logged);
    }
  }
}
