package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An attacker without credentials against a real hub, over real sockets: a forged flood beside a
 * real provider, guessed keys and secrets and health checks counted in database transactions,
 * ids the database cannot store, and one authenticated webhook from the far future.
 */
class ForgedTrafficTest {

  private static final String SECRET = "victim-secret-0123456789";
  private static HubHarness hub;
  private static String apiKey;

  @BeforeAll
  static void start() throws Exception {
    hub = HubHarness.start(ForgedTrafficTest.class, Map.of(
        // The failure limit lets more forged webhooks reach authentication than the tenant's rate:
        // were forged ones counted against the tenant, the real provider would be throttled.
        "KYC_TENANT_RATE_LIMIT", 50,
        "KYC_AUTH_FAILURE_LIMIT", 200,
        // Quiet sweeps, so the database's transaction count shows what the requests cost.
        "KYC_SWEEP_INTERVAL_MILLIS", 10_000,
        "KYC_VERIFICATION_SWEEP_MILLIS", 600_000));
    apiKey = hub.tenantWithEverything("victim", SECRET);
  }

  @AfterAll
  static void stop() throws Exception {
    hub.close();
  }

  @Test
  void aForgedFloodNeverThrottlesTheRealProvider() throws Exception {
    // The forger sends from 127.0.0.2, the real provider from 127.0.0.1.
    WebClient forger = WebClient.create(hub.node.vertx(), new WebClientOptions().setLocalAddress("127.0.0.2"),
        new PoolOptions().setHttp1MaxSize(32));
    List<Future<HttpResponse<Buffer>>> forged = new ArrayList<>();
    List<Future<HttpResponse<Buffer>>> real = new ArrayList<>();
    try {
      long start = System.currentTimeMillis();
      int realSent = 0;
      // 3 s: 60 real webhooks at 20/s (under the tenant's 50/s) among 3,000 forged ones.
      while (System.currentTimeMillis() - start < 3_000) {
        for (int i = 0; i < 50; i++) {
          String body = p100("forged-" + UUID.randomUUID());
          MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer forged-token-0123456789")
              .add("content-type", "application/json");
          forged.add(forger.postAbs(hub.publicBase() + "/webhooks/victim/p100").putHeaders(headers)
              .sendBuffer(Buffer.buffer(body)));
        }
        while (realSent < (System.currentTimeMillis() - start) / 50) {
          String body = p100("real-" + realSent++);
          MultiMap headers = MultiMap.caseInsensitiveMultiMap();
          HubHarness.signed("p100", SECRET, body).forEach(headers::add);
          real.add(hub.http.postAbs(hub.publicBase() + "/webhooks/victim/p100").putHeaders(headers)
              .sendBuffer(Buffer.buffer(body)));
        }
        Thread.sleep(50);
      }
      Future.join(new ArrayList<>(real)).await(30, TimeUnit.SECONDS);
      Future.join(new ArrayList<>(forged)).await(30, TimeUnit.SECONDS);
    } finally {
      forger.close();
    }
    Map<Integer, Integer> realStatuses = statuses(real);
    Map<Integer, Integer> forgedStatuses = statuses(forged);
    assertThat(realStatuses).as("every real webhook").containsOnlyKeys(200);
    assertThat(realStatuses.get(200)).isGreaterThanOrEqualTo(50);
    assertThat(forgedStatuses).as("forged webhooks: refused, then throttled").containsOnlyKeys(401, 429);
    assertThat(forgedStatuses.get(429)).isGreaterThan(forgedStatuses.get(401));
    assertThat(hub.count("SELECT count(*) FROM inbox WHERE convert_from(body, 'UTF8') LIKE '%forged-%'")).isZero();
  }

  @Test
  void guessedCredentialsUnknownTenantsAndHealthChecksCostNoQueries() throws Exception {
    long before = transactionsOfThisDatabase();
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      answers.add(hub.http.getAbs(hub.publicBase() + "/v1/customers/c-1/kyc")
          .bearerTokenAuthentication("kyc_" + UUID.randomUUID() + UUID.randomUUID()).send());
      answers.add(hub.http.getAbs(hub.publicBase() + "/v1/events?clientSecret=cs_" + UUID.randomUUID()).send());
      answers.add(hub.http.getAbs(hub.publicBase() + "/health/ready").send());
      answers.add(hub.http.postAbs(hub.publicBase() + "/webhooks/ghost-" + i + "/p100")
          .putHeader("authorization", "Bearer x").sendBuffer(Buffer.buffer(p100("g"))));
    }
    Future.join(new ArrayList<>(answers)).await(30, TimeUnit.SECONDS);
    long after = transactionsOfThisDatabase();
    Map<Integer, Integer> statuses = statuses(answers);
    assertThat(statuses).containsEntry(401, 500).containsEntry(200, 250).containsEntry(404, 250);
    assertThat(after - before).as("database transactions for 1,000 requests (the sweeps make a few)").isLessThan(60);
  }

  @Test
  void idsTheDatabaseCannotStoreAre400NeverAnOutage() throws Exception {
    assertThat(hub.operator("PUT", apiKey, "/v1/customers/%00", new JsonObject()).statusCode()).isEqualTo(400);
    assertThat(hub.operator("POST", apiKey, "/v1/customers/%00/client-secret", null).statusCode()).isEqualTo(400);
    assertThat(hub.operator("GET", apiKey, "/v1/customers/a%00b/kyc", null).statusCode()).isEqualTo(400);
    assertThat(hub.operator("PUT", apiKey, "/v1/customers/" + "x".repeat(5000), new JsonObject()).statusCode())
        .isEqualTo(400);
    assertThat(hub.operator("PUT", apiKey, "/v1/customers/" + "x".repeat(128), new JsonObject()).statusCode())
        .as("the longest id there is").isEqualTo(200);
    assertThat(hub.operator("PUT", apiKey, "/v1/customers/" + "x".repeat(20_000), new JsonObject()).statusCode())
        .as("a request line longer than the listener reads").isEqualTo(414);
    assertThat(hub.operator("GET", apiKey, "/v1/events?customerId=%00", null).statusCode()).isEqualTo(400);
    HttpResponse<Buffer> admin = hub.await(hub.http.patchAbs(hub.adminBase() + "/admin/tenants/%00")
        .bearerTokenAuthentication(hub.adminToken).sendJsonObject(new JsonObject().put("name", "x")));
    assertThat(admin.statusCode()).isEqualTo(400);
    assertThat(admin.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    // From an authenticated provider too: the subject id is checked before anything is stored.
    String nul = "{\"externalUserId\":\"evil\\u0000id\",\"verificationStatus\":\"VERIFIED\"}";
    HttpResponse<Buffer> webhook = hub.signedWebhook("victim", "p100", SECRET, nul);
    assertThat(webhook.statusCode()).isEqualTo(400);
    assertThat(hub.signedWebhook("victim", "p100", SECRET, p100("y".repeat(129))).statusCode()).isEqualTo(400);
    assertThat(hub.count("SELECT count(*) FROM customers WHERE length(id) > 128")).isZero();
  }

  @Test
  void aFarFutureProviderTimeDoesNotFreezeTheCustomer() throws Exception {
    Instant future = Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    assertThat(hub.signedWebhook("victim", "ripio", SECRET, ripio("KYC.IN_REVIEW", "future-1", future)).statusCode())
        .isEqualTo(200);
    hub.awaitStatus(apiKey, "future-1", "processing");
    assertThat(hub.signedWebhook("victim", "ripio", SECRET, ripio("KYC.COMPLETED", "future-1", Instant.now())).statusCode())
        .isEqualTo(200);
    JsonObject state = hub.awaitStatus(apiKey, "future-1", "verified");
    // The event keeps what the provider said.
    assertThat(state.getJsonArray("history").getJsonObject(0).getString("occurredAt")).isEqualTo(future.toString());
    // A provider time a minute ahead (clock skew) still orders: an older update after it is stale.
    Instant skewed = Instant.now().plus(1, ChronoUnit.MINUTES);
    hub.signedWebhook("victim", "ripio", SECRET, ripio("KYC.FAILED", "future-2", skewed));
    hub.awaitStatus(apiKey, "future-2", "rejected");
    hub.signedWebhook("victim", "ripio", SECRET, ripio("KYC.COMPLETED", "future-2", Instant.now()));
    Thread.sleep(1_000);
    assertThat(hub.kyc(apiKey, "future-2").getString("status")).isEqualTo("rejected");
  }

  private static String p100(String customer) {
    return new JsonObject().put("externalUserId", customer).put("verificationStatus", "VERIFIED").encode();
  }

  private static String ripio(String event, String customer, Instant at) {
    return new JsonObject().put("eventType", event).put("issueDatetime", at.toString())
        .put("payload", new JsonObject().put("submissionId", "s-" + UUID.randomUUID()).put("customerId", customer)
            .put("createdAt", at.toString()).put("source", "API").put("metadata", new JsonObject()))
        .encode();
  }

  private static Map<Integer, Integer> statuses(List<Future<HttpResponse<Buffer>>> answers) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (Future<HttpResponse<Buffer>> answer : answers) {
      counts.merge(answer.succeeded() ? answer.result().statusCode() : -1, 1, Integer::sum);
    }
    return counts;
  }

  /**
   * Committed transactions of the hub's database, as PostgreSQL counts them. A backend reports its
   * counts at most once a second while busy and within about 10 s when idle, so this waits for them.
   */
  private static long transactionsOfThisDatabase() throws Exception {
    Thread.sleep(11_500);
    hub.sql("SELECT pg_stat_clear_snapshot()");
    return hub.count("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");
  }
}
