package io.kychub.clusterit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The admin API of one node, as an operator's tooling would call it: an HS256 JWT with the admin role. */
final class AdminClient {

  private final int port;
  private final String token;

  /** @param token an admin token ({@link io.kychub.admin.AdminTokens}) */
  AdminClient(int adminPort, String token) {
    this.port = adminPort;
    this.token = token;
  }

  void createTenant(String id) {
    expect(201, "POST", "/admin/tenants", new JsonObject().put("id", id).put("name", "Tenant " + id));
  }

  /** A tenant with a reuse policy ({share, accept, maxAgeDays}). */
  void createTenant(String id, JsonObject reuse) {
    expect(201, "POST", "/admin/tenants", new JsonObject().put("id", id).put("name", "Tenant " + id).put("reuse", reuse));
  }

  void putCredential(String tenant, String provider, JsonObject credential) {
    expect(200, "PUT", "/admin/tenants/" + tenant + "/providers/" + provider, credential);
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
}
