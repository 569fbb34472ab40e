package io.kychub.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Sets the hub up as an administrator would, through the JWT-secured admin API. */
final class HubAdmin {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  HubAdmin(int adminPort, String jwtSecret) {
    this.base = "http://127.0.0.1:" + adminPort;
    this.token = hs256Token(jwtSecret);
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

  /** An admin token valid for a day (HS256, role {@code kyc-admin}). */
  private static String hs256Token(String secret) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long now = Instant.now().getEpochSecond();
    String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = b64.encodeToString(new JsonObject().put("sub", "kyc-bench").put("iat", now).put("exp", now + 86_400)
        .put("roles", new JsonArray().add("kyc-admin")).encode().getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String signature = b64.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.UTF_8)));
      return header + "." + claims + "." + signature;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is in every JVM", e);
    }
  }
}
