package io.kychub.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/** Sets the hub up as an administrator would, through the JWT-secured admin API. */
final class HubAdmin {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  /** @param token an admin token ({@link io.kychub.admin.AdminTokens}) */
  HubAdmin(int adminPort, String token) {
    this.base = "http://127.0.0.1:" + adminPort;
    this.token = token;
  }

  /** Creates a tenant with a credential for every provider (the one secret) and an API key. */
  Webhooks.Tenant tenant(String id, String secret) throws IOException, InterruptedException {
    call("POST", "/admin/tenants", new JsonObject().put("id", id).put("name", "Benchmark " + id));
    for (String provider : Webhooks.PROVIDERS) {
      call("PUT", "/admin/tenants/" + id + "/providers/" + provider, Webhooks.credential(secret));
    }
    String apiKey = call("POST", "/admin/tenants/" + id + "/api-keys", new JsonObject().put("label", "bench"))
        .getString("key");
    return new Webhooks.Tenant(id, secret, apiKey);
  }

  private JsonObject call(String method, String path, JsonObject body) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + token).header("content-type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
  }

  static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
