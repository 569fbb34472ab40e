package io.kychub.clusterit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The admin API of one node, as an operator's tooling would call it: an HS256 JWT with the admin role. */
final class AdminClient {

  private final int port;
  private final String token;

  AdminClient(int adminPort, String hs256Secret) {
    this.port = adminPort;
    this.token = adminToken(hs256Secret);
  }

  void createTenant(String id) {
    expect(201, "POST", "/admin/tenants", new JsonObject().put("id", id).put("name", "Tenant " + id));
  }

  /** The provider's default scheme with the given live secrets. */
  void putCredential(String tenant, String provider, String... secrets) {
    JsonObject auth = new JsonObject().put("secrets", new JsonArray(java.util.List.of((Object[]) secrets)));
    expect(200, "PUT", "/admin/tenants/" + tenant + "/providers/" + provider,
        new JsonObject().put("enabled", true).put("webhookAuth", auth));
  }

  String createApiKey(String tenant) {
    return expect(201, "POST", "/admin/tenants/" + tenant + "/api-keys", new JsonObject().put("label", "cluster-it"))
        .json().getString("key");
  }

  void disableTenant(String tenant) {
    expect(204, "DELETE", "/admin/tenants/" + tenant, null);
  }

  private LoopbackHttp.Response expect(int status, String method, String path, JsonObject body) {
    LoopbackHttp.Response r = LoopbackHttp.send(port, method, path, Map.of("Authorization", "Bearer " + token,
        "Content-Type", "application/json"), body == null ? null : body.encode());
    if (r.status() != status && !(status == 200 && r.status() == 201)) {
      throw new AssertionError(method + " " + path + ": expected " + status + ", got " + r.status() + " " + r.body());
    }
    return r;
  }

  /** {@code sub}, {@code roles: ["kyc-admin"]} and {@code exp}, signed HS256 as the hub is configured to verify. */
  static String adminToken(String secret) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long now = Instant.now().getEpochSecond();
    String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = b64.encodeToString(new JsonObject().put("sub", "cluster-it").put("iat", now).put("exp", now + 3600)
        .put("roles", new JsonArray().add("kyc-admin")).encode().getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String signature = b64.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.UTF_8)));
      return header + "." + claims + "." + signature;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }
}
