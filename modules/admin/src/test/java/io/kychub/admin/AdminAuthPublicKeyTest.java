package io.kychub.admin;

import static io.vertx.core.http.HttpMethod.GET;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

/** RS256 tokens verified with a PEM public key (KYC_JWT_PUBLIC_KEY). */
class AdminAuthPublicKeyTest extends AdminServerTestBase {

  final KeyPair keys = Jwts.rsaKeyPair();

  @Override
  JsonObject jwtSettings(Vertx vertx) {
    return new JsonObject().put("KYC_JWT_PUBLIC_KEY", Jwts.pem(keys.getPublic()));
  }

  @Test
  void rs256TokenSignedWithTheMatchingPrivateKeyIsAccepted() throws Exception {
    String token = Jwts.rs256(keys.getPrivate(), null, Jwts.admin());
    assertThat(call(GET, "/admin/tenants", token, null).statusCode()).isEqualTo(200);
  }

  @Test
  void rs256TokenSignedWithAnotherKeyIsRejectedWith401() throws Exception {
    String token = Jwts.rs256(Jwts.rsaKeyPair().getPrivate(), null, Jwts.admin());
    assertThat(call(GET, "/admin/tenants", token, null).statusCode()).isEqualTo(401);
  }

  @Test
  void hs256TokenKeyedWithThePublicKeyIsRejectedWith401() throws Exception {
    // the classic algorithm confusion: HMAC keyed with the public key text
    String token = Jwts.hs256(Jwts.pem(keys.getPublic()), Jwts.admin());
    assertThat(call(GET, "/admin/tenants", token, null).statusCode()).isEqualTo(401);
  }
}
