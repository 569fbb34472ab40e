package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Open streams follow their credentials on every node of a real two-node cluster: a revoked API
 * key, a disabled tenant and an expired client secret end them within 5 s, and concurrent streams
 * are capped per client secret, per API key and per tenant.
 */
class StreamCredentialTest {

  private static HubHarness first;
  private static HubHarness second;

  @BeforeAll
  static void start() throws Exception {
    List<Map<String, Object>> cluster = HubHarness.loopbackCluster(2);
    Map<String, Object> caps = Map.of("KYC_SSE_MAX_PER_API_KEY", 4, "KYC_SSE_MAX_PER_TENANT", 6);
    first = HubHarness.start(StreamCredentialTest.class, merged(cluster.get(0), caps));
    second = HubHarness.peer(first, merged(cluster.get(1), caps));
    long deadline = System.currentTimeMillis() + 30_000;
    while (first.node.services().clusterManagerOrNull().getNodes().size() < 2 && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(first.node.services().clusterManagerOrNull().getNodes()).hasSize(2);
  }

  @AfterAll
  static void stop() throws Exception {
    second.close();
    first.close();
  }

  private static Map<String, Object> merged(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> all = new HashMap<>(a);
    all.putAll(b);
    return all;
  }

  @Test
  void openStreamsEndWhenTheirKeyIsRevokedOnEveryNode() throws Exception {
    first.createTenant("revoke-t");
    HttpResponse<Buffer> created = admin(first, "POST", "/admin/tenants/revoke-t/api-keys", new JsonObject());
    String key = created.bodyAsJsonObject().getString("key");
    try (SseClient onFirst = first.sse(key, "", null); SseClient onSecond = second.sse(key, "", null)) {
      assertThat(onFirst.status).isEqualTo(200);
      assertThat(onSecond.status).as("a key created on one node works on the other at once").isEqualTo(200);
      long revokedAt = System.currentTimeMillis();
      assertThat(admin(first, "DELETE", "/admin/tenants/revoke-t/api-keys/" + created.bodyAsJsonObject().getString("id"),
          null).statusCode()).isEqualTo(204);
      awaitEnded(onFirst, revokedAt);
      awaitEnded(onSecond, revokedAt);
    }
    try (SseClient again = second.sse(key, "", null)) {
      assertThat(again.status).isEqualTo(401);
    }
  }

  @Test
  void openStreamsEndWhenTheirTenantIsDisabledOnEveryNode() throws Exception {
    String key = first.tenantWithEverything("disable-t", "disable-secret-0123456789");
    String secret = clientSecret(first, key, "c-1");
    try (SseClient byKey = second.sse(key, "", null);
         SseClient bySecret = SseClient.connect(second.node.vertx(), second.node.publicPort(),
             "/v1/events?clientSecret=" + secret, null, null)) {
      assertThat(byKey.status).isEqualTo(200);
      assertThat(bySecret.status).isEqualTo(200);
      long disabledAt = System.currentTimeMillis();
      assertThat(admin(first, "DELETE", "/admin/tenants/disable-t", null).statusCode()).isEqualTo(204);
      awaitEnded(byKey, disabledAt);
      awaitEnded(bySecret, disabledAt);
    }
  }

  @Test
  void openStreamsOfAClientSecretEndWhenItExpires() throws Exception {
    String key = first.tenantWithEverything("expire-t", "expire-secret-0123456789");
    String secret = clientSecret(first, key, "c-1");
    first.sql("UPDATE client_secrets SET expires_at = now() + interval '2 seconds' WHERE tenant_id = 'expire-t'");
    try (SseClient onSecond = SseClient.connect(second.node.vertx(), second.node.publicPort(),
        "/v1/events?clientSecret=" + secret, null, null)) {
      assertThat(onSecond.status).isEqualTo(200);
      long opened = System.currentTimeMillis();
      awaitEnded(onSecond, opened + 2_000);
    }
  }

  @Test
  void streamCapsAnswer429() throws Exception {
    String key = first.tenantWithEverything("caps-t", "caps-secret-0123456789");
    String secret = clientSecret(first, key, "c-1");
    List<SseClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(stream(first, "/v1/events?clientSecret=" + secret, null));
      }
      SseClient fourth = stream(first, "/v1/events?clientSecret=" + secret, null);
      open.add(fourth);
      assertThat(open.subList(0, 3)).allMatch(c -> c.status == 200);
      assertThat(fourth.status).isEqualTo(429);
      assertThat(new JsonObject(fourth.errorBody()).getString("error")).isEqualTo("too_many_streams");
      // Per API key: 4.
      for (int i = 0; i < 4; i++) {
        open.add(stream(first, "", key));
      }
      SseClient fifthOfKey = stream(first, "", key);
      open.add(fifthOfKey);
      assertThat(fifthOfKey.status).isEqualTo(429);
      // Per tenant: 6, of which the secret holds 3 and the key 4 would be 7: another key gets none.
      String otherKey = first.createApiKey("caps-t");
      SseClient ofTenant = stream(first, "", otherKey);
      open.add(ofTenant);
      assertThat(ofTenant.status).isEqualTo(429);
      // Caps are per node: the other node has room.
      SseClient elsewhere = stream(second, "", otherKey);
      open.add(elsewhere);
      assertThat(elsewhere.status).isEqualTo(200);
      // A closed stream frees its place.
      open.get(0).close();
      long deadline = System.currentTimeMillis() + 5_000;
      int status = 429;
      while (status == 429 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
        SseClient retry = stream(first, "/v1/events?clientSecret=" + secret, null);
        open.add(retry);
        status = retry.status;
      }
      assertThat(status).isEqualTo(200);
    } finally {
      for (SseClient client : open) {
        client.close();
      }
    }
  }

  private static SseClient stream(HubHarness hub, String pathOrQuery, String apiKey) throws Exception {
    String path = pathOrQuery.startsWith("/") ? pathOrQuery : "/v1/events" + pathOrQuery;
    return SseClient.connect(hub.node.vertx(), hub.node.publicPort(), path, apiKey, null);
  }

  private static String clientSecret(HubHarness hub, String apiKey, String customer) throws Exception {
    HttpResponse<Buffer> issued = hub.operator("POST", apiKey, "/v1/customers/" + customer + "/client-secret", null);
    assertThat(issued.statusCode()).isEqualTo(201);
    return issued.bodyAsJsonObject().getString("clientSecret");
  }

  private static HttpResponse<Buffer> admin(HubHarness hub, String method, String path, JsonObject body) throws Exception {
    var request = hub.http.requestAbs(io.vertx.core.http.HttpMethod.valueOf(method), hub.adminBase() + path)
        .bearerTokenAuthentication(hub.adminToken);
    return hub.await(body == null ? request.send() : request.sendJsonObject(body));
  }

  /** The stream ended within 5 s of {@code sinceMillis}. */
  private static void awaitEnded(SseClient client, long sinceMillis) throws InterruptedException {
    long deadline = sinceMillis + 5_000;
    while (!client.ended && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(client.ended).as("stream ended within 5 s").isTrue();
  }
}
