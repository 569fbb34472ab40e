package io.kychub.app;

import io.kychub.admin.AdminTokens;
import io.kychub.model.HubConfig;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.auth.WebhookSigner;
import io.kychub.store.Database;
import io.kychub.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real hub node on loopback for a test class: a fresh database, ports chosen by the OS, an
 * admin token, and helpers that act as an admin, a provider and an operator over real HTTP.
 */
final class HubHarness implements AutoCloseable {

  static final String JWT_SECRET = "test-jwt-secret-that-is-long-enough-0123456789";

  final HubNode node;
  final String dbUrl;
  final WebClient http;
  final Pool sql;
  final String adminToken;
  final String masterKey;
  final String fingerprintKey;

  private HubHarness(HubNode node, String dbUrl, String masterKey, String fingerprintKey) {
    this.node = node;
    this.dbUrl = dbUrl;
    this.masterKey = masterKey;
    this.fingerprintKey = fingerprintKey;
    this.http = WebClient.create(node.vertx());
    this.sql = Database.pool(node.vertx(), dbUrl, 2);
    this.adminToken = AdminTokens.hs256(node.vertx(), JWT_SECRET, "demo-admin", Duration.ofDays(1));
  }

  static HubHarness start(Class<?> owner, Map<String, Object> overrides) throws Exception {
    return start(TestDatabase.freshDatabaseUrl(owner), randomKey(), randomKey(), overrides);
  }

  /** Another node on the same database with the same keys (pass cluster settings to make them one cluster). */
  static HubHarness peer(HubHarness first, Map<String, Object> overrides) throws Exception {
    return start(first.dbUrl, first.masterKey, first.fingerprintKey, overrides);
  }

  /** Cluster settings for {@code nodes} nodes on loopback, one map per node: free ports, one member list, a fresh name. */
  static List<Map<String, Object>> loopbackCluster(int nodes) throws Exception {
    List<Integer> ports = new ArrayList<>();
    List<Integer> busPorts = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      ports.add(freePort());
      busPorts.add(freePort());
    }
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    String name = "kyc-test-" + UUID.randomUUID().toString().substring(0, 8);
    List<Map<String, Object>> settings = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      settings.add(Map.of("KYC_CLUSTER_MEMBERS", members, "KYC_CLUSTER_HOST", "127.0.0.1", "KYC_CLUSTER_PORT", ports.get(i),
          "KYC_CLUSTER_BUS_PORT", busPorts.get(i), "KYC_CLUSTER_NAME", name));
    }
    return settings;
  }

  static int freePort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static HubHarness start(String dbUrl, String masterKey, String fingerprintKey, Map<String, Object> overrides)
      throws Exception {
    JsonObject json = new JsonObject()
        .put("KYC_DB_URL", dbUrl)
        .put("KYC_HTTP_HOST", "127.0.0.1")
        .put("KYC_HTTP_PORT", 0)
        .put("KYC_ADMIN_HOST", "127.0.0.1")
        .put("KYC_ADMIN_PORT", 0)
        .put("KYC_DB_POOL_SIZE", 8)
        .put("KYC_JWT_HS256_SECRET", JWT_SECRET)
        .put("KYC_MASTER_KEY", masterKey)
        .put("KYC_FINGERPRINT_KEY", fingerprintKey)
        .put("KYC_SWEEP_INTERVAL_MILLIS", 300)
        .put("KYC_SWEEP_AGE_MILLIS", 1500)
        .put("KYC_SSE_HEARTBEAT_SECONDS", 1);
    overrides.forEach(json::put);
    HubNode node = HubNode.start(HubConfig.from(json)).await(120, TimeUnit.SECONDS);
    return new HubHarness(node, dbUrl, masterKey, fingerprintKey);
  }

  static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  String publicBase() {
    return "http://127.0.0.1:" + node.publicPort();
  }

  String adminBase() {
    return "http://127.0.0.1:" + node.adminPort();
  }

  <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }

  // --- admin ---------------------------------------------------------------------------------

  void createTenant(String id) throws Exception {
    createTenant(id, null);
  }

  /** A tenant with a reuse policy ({share, accept, maxAgeDays}), or the default one when null. */
  void createTenant(String id, JsonObject reuseOrNull) throws Exception {
    JsonObject tenant = new JsonObject().put("id", id).put("name", "Tenant " + id);
    if (reuseOrNull != null) {
      tenant.put("reuse", reuseOrNull);
    }
    HttpResponse<Buffer> r = await(http.postAbs(adminBase() + "/admin/tenants").bearerTokenAuthentication(adminToken)
        .sendJsonObject(tenant));
    if (r.statusCode() != 201) {
      throw new AssertionError("create tenant " + id + ": " + r.statusCode() + " " + r.bodyAsString());
    }
  }

  /** Gives the tenant a credential for the provider with its default scheme and one secret. */
  void putCredential(String tenant, String provider, String secret) throws Exception {
    putCredential(tenant, provider, new JsonObject().put("enabled", true).put("webhookAuth",
        new JsonObject().put("secrets", new JsonArray().add(secret)).put("username", "user-" + provider)));
  }

  void putCredential(String tenant, String provider, JsonObject credential) throws Exception {
    HttpResponse<Buffer> r = await(http.putAbs(adminBase() + "/admin/tenants/" + tenant + "/providers/" + provider)
        .bearerTokenAuthentication(adminToken).sendJsonObject(credential));
    if (r.statusCode() / 100 != 2) {
      throw new AssertionError("put credential: " + r.statusCode() + " " + r.bodyAsString());
    }
  }

  String createApiKey(String tenant) throws Exception {
    HttpResponse<Buffer> r = await(http.postAbs(adminBase() + "/admin/tenants/" + tenant + "/api-keys")
        .bearerTokenAuthentication(adminToken).sendJsonObject(new JsonObject().put("label", "test")));
    if (r.statusCode() != 201) {
      throw new AssertionError("create api key: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getString("key");
  }

  /** A tenant with a credential for every provider (same secret) and an API key. */
  String tenantWithEverything(String tenant, String secret) throws Exception {
    createTenant(tenant);
    for (String provider : ProviderRegistry.standard().names()) {
      putCredential(tenant, provider, secret);
    }
    return createApiKey(tenant);
  }

  // --- provider --------------------------------------------------------------------------------

  /** Headers a provider would send: its default scheme, signed with {@code secret}. */
  static Map<String, String> signed(String provider, String secret, String body) {
    WebhookAuthConfig auth = new WebhookAuthConfig(null, List.of(), "user-" + provider, null, null, null, null, List.of(), null)
        .withDefaults(ProviderRegistry.standard().find(provider).orElseThrow().defaultAuth());
    Map<String, String> headers = new HashMap<>(WebhookSigner.sign(auth, secret, body.getBytes(StandardCharsets.UTF_8),
        Instant.now(), "msg_" + UUID.randomUUID()));
    headers.put("content-type", "application/json");
    return headers;
  }

  HttpResponse<Buffer> webhook(String tenant, String provider, String body, Map<String, String> headers) throws Exception {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(h::add);
    return await(http.postAbs(publicBase() + "/webhooks/" + tenant + "/" + provider).putHeaders(h)
        .sendBuffer(Buffer.buffer(body)));
  }

  HttpResponse<Buffer> signedWebhook(String tenant, String provider, String secret, String body) throws Exception {
    return webhook(tenant, provider, body, signed(provider, secret, body));
  }

  // --- operator --------------------------------------------------------------------------------

  JsonObject kyc(String apiKey, String customerId) throws Exception {
    HttpResponse<Buffer> r = await(http.getAbs(publicBase() + "/v1/customers/" + customerId + "/kyc")
        .bearerTokenAuthentication(apiKey).send());
    return r.statusCode() == 200 ? r.bodyAsJsonObject() : null;
  }

  SseClient sse(String apiKey, String query, String lastEventId) throws Exception {
    return SseClient.connect(node.vertx(), node.publicPort(), "/v1/events" + query, apiKey, lastEventId);
  }

  HttpResponse<Buffer> operator(String method, String apiKey, String path, JsonObject bodyOrNull) throws Exception {
    return await(operatorAsync(method, apiKey, path, bodyOrNull, Map.of()));
  }

  /** An operator API call with extra request headers, not awaited. */
  Future<HttpResponse<Buffer>> operatorAsync(String method, String apiKey, String path, JsonObject bodyOrNull,
      Map<String, String> headers) {
    var request = http.requestAbs(io.vertx.core.http.HttpMethod.valueOf(method), publicBase() + path)
        .bearerTokenAuthentication(apiKey);
    headers.forEach(request::putHeader);
    return bodyOrNull == null ? request.send() : request.sendJsonObject(bodyOrNull);
  }

  /** Waits until the customer's state has the status, failing with the last state seen. */
  JsonObject awaitStatus(String apiKey, String customer, String status) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    JsonObject state = null;
    while (System.currentTimeMillis() < deadline) {
      state = kyc(apiKey, customer);
      if (state != null && status.equals(state.getString("status"))) {
        return state;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(customer + " never reached " + status + "; last state " + state);
  }

  // --- database ------------------------------------------------------------------------------

  List<Row> sql(String statement, Object... params) throws Exception {
    List<Row> rows = new ArrayList<>();
    await(sql.preparedQuery(statement).execute(Tuple.wrap(params))).forEach(rows::add);
    return rows;
  }

  long count(String statement, Object... params) throws Exception {
    return sql(statement, params).get(0).getLong(0);
  }

  @Override
  public void close() throws Exception {
    http.close();
    node.close().await(30, TimeUnit.SECONDS);
  }
}
