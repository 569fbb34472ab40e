package io.kychub.admin;

import static io.vertx.core.http.HttpMethod.GET;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/** The admin API's JWT rules with an HS256 secret, issuer and audience configured. */
class AdminAuthTest extends AdminServerTestBase {

  @Override
  JsonObject jwtSettings(Vertx vertx) {
    return new JsonObject()
        .put("KYC_JWT_HS256_SECRET", Jwts.HS256_SECRET)
        .put("KYC_JWT_ISSUER", Jwts.ISSUER)
        .put("KYC_JWT_AUDIENCE", Jwts.AUDIENCE);
  }

  HttpResponse<Buffer> listTenants(String token) throws Exception {
    return call(GET, "/admin/tenants", token, null);
  }

  static void assertUnauthorized(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
  }

  @Test
  void validAdminTokenIsAccepted() throws Exception {
    HttpResponse<Buffer> response = listTenants(Jwts.hs256(Jwts.admin()));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("tenants")).isNotNull();
  }

  @Test
  void requestWithoutTokenIsRejectedWith401() throws Exception {
    assertUnauthorized(listTenants(null));
  }

  @Test
  void nonBearerAuthorizationIsRejectedWith401() throws Exception {
    HttpResponse<Buffer> response = await(http.get("/admin/tenants").putHeader("Authorization", "Basic YWRtaW46YWRtaW4=").send());
    assertUnauthorized(response);
  }

  @Test
  void expiredTokenIsRejectedWith401() throws Exception {
    assertUnauthorized(listTenants(Jwts.hs256(Jwts.admin().put("exp", Jwts.now() - 3600))));
  }

  @Test
  void tokenWithoutExpIsRejectedWith401() throws Exception {
    JsonObject claims = Jwts.admin();
    claims.remove("exp");
    assertUnauthorized(listTenants(Jwts.hs256(claims)));
  }

  @Test
  void algNoneTokenIsRejectedWith401() throws Exception {
    assertUnauthorized(listTenants(Jwts.unsigned(Jwts.admin())));
    String withoutSignatureSegment = Jwts.unsigned(Jwts.admin());
    assertUnauthorized(listTenants(withoutSignatureSegment.substring(0, withoutSignatureSegment.length() - 1)));
  }

  @Test
  void tokenSignedWithAWrongKeyIsRejectedWith401() throws Exception {
    assertUnauthorized(listTenants(Jwts.hs256("another-secret-of-enough-length-0123456789", Jwts.admin())));
  }

  @Test
  void tamperedClaimsAreRejectedWith401() throws Exception {
    String[] parts = Jwts.hs256(Jwts.admin().put("roles", new JsonArray())).split("\\.");
    String forged = Jwts.hs256(Jwts.admin()).split("\\.")[1];
    assertUnauthorized(listTenants(parts[0] + "." + forged + "." + parts[2]));
  }

  @Test
  void issuerMismatchIsRejectedWith401() throws Exception {
    assertUnauthorized(listTenants(Jwts.hs256(Jwts.admin().put("iss", "https://other-idp.test"))));
  }

  @Test
  void audienceMismatchIsRejectedWith401() throws Exception {
    assertUnauthorized(listTenants(Jwts.hs256(Jwts.admin().put("aud", "some-other-api"))));
  }

  @Test
  void tokenWithoutSubIsRejectedWith401() throws Exception {
    JsonObject claims = Jwts.admin();
    claims.remove("sub");
    assertUnauthorized(listTenants(Jwts.hs256(claims)));
  }

  @Test
  void tokenWithoutAdminRoleGets403() throws Exception {
    HttpResponse<Buffer> response = listTenants(Jwts.hs256(Jwts.admin().put("roles", new JsonArray().add("kyc-viewer"))));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
  }

  @Test
  void tokenWithoutRolesClaimGets403() throws Exception {
    JsonObject claims = Jwts.admin();
    claims.remove("roles");
    assertThat(listTenants(Jwts.hs256(claims)).statusCode()).isEqualTo(403);
  }

  @Test
  void garbageTokenIsRejectedWith401() throws Exception {
    assertUnauthorized(listTenants("not.a.jwt"));
    assertUnauthorized(listTenants("%%%"));
  }
}
