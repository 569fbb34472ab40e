package io.kychub.admin;

import static io.vertx.core.http.HttpMethod.GET;
import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.HubConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Keys from a JWKS URL, served here by a small Vert.x HTTP server. */
class AdminAuthJwksTest extends AdminServerTestBase {

  final KeyPair first = Jwts.rsaKeyPair();
  final KeyPair second = Jwts.rsaKeyPair();
  final AtomicReference<JsonObject> jwks = new AtomicReference<>(jwks(first, "key-1"));
  final AtomicInteger fetches = new AtomicInteger();
  String jwksUrl;

  static JsonObject jwks(KeyPair pair, String kid) {
    return new JsonObject().put("keys", new JsonArray()
        .add(new JsonObject().put("kty", "oct").put("kid", "symmetric").put("k", "c2VjcmV0"))
        .add(Jwts.rsaJwk((RSAPublicKey) pair.getPublic(), kid)));
  }

  @Override
  JsonObject jwtSettings(Vertx vertx) throws Exception {
    HttpServer server = await(vertx.createHttpServer()
        .requestHandler(req -> {
          fetches.incrementAndGet();
          req.response().putHeader("content-type", "application/json").end(jwks.get().encode());
        })
        .listen(0, "127.0.0.1"));
    jwksUrl = "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json";
    return new JsonObject().put("KYC_JWT_JWKS_URL", jwksUrl);
  }

  @Test
  void tokenSignedWithAKeyFromTheJwksIsAccepted() throws Exception {
    String token = Jwts.rs256(first.getPrivate(), "key-1", Jwts.admin());
    assertThat(call(GET, "/admin/tenants", token, null).statusCode()).isEqualTo(200);
  }

  @Test
  void tokenSignedWithAKeyOutsideTheJwksIsRejectedWith401() throws Exception {
    String token = Jwts.rs256(Jwts.rsaKeyPair().getPrivate(), "key-1", Jwts.admin());
    assertThat(call(GET, "/admin/tenants", token, null).statusCode()).isEqualTo(401);
  }

  @Test
  void symmetricKeyInTheJwksIsNeverUsed() throws Exception {
    assertThat(call(GET, "/admin/tenants", Jwts.hs256("secret", Jwts.admin()), null).statusCode()).isEqualTo(401);
  }

  @Test
  void unknownKidRefetchesTheJwksSoARotatedKeyWorks() throws Exception {
    HubConfig.Jwt settings = new HubConfig.Jwt(null, null, jwksUrl, null, null, "roles", "kyc-admin");
    AdminAuth auth = new AdminAuth(vertx, settings, 0);
    await(auth.start());
    jwks.set(jwks(second, "key-2"));
    int before = fetches.get();
    JsonObject claims = await(auth.verify(Jwts.rs256(second.getPrivate(), "key-2", Jwts.admin())));
    assertThat(claims.getString("sub")).isEqualTo("alice");
    assertThat(fetches.get()).isEqualTo(before + 1);
    auth.stop();
  }

  @Test
  void unknownKidRefetchesAtMostOncePerInterval() throws Exception {
    HubConfig.Jwt settings = new HubConfig.Jwt(null, null, jwksUrl, null, null, "roles", "kyc-admin");
    AdminAuth auth = new AdminAuth(vertx, settings, 60_000);
    await(auth.start());
    int before = fetches.get();
    for (int i = 0; i < 3; i++) {
      String token = Jwts.rs256(second.getPrivate(), "unknown-" + i, Jwts.admin());
      assertThat(await(auth.verify(token).map("accepted").otherwise("rejected"))).isEqualTo("rejected");
    }
    assertThat(fetches.get()).isEqualTo(before);
    auth.stop();
  }
}
