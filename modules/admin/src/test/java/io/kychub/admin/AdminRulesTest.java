package io.kychub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/** The pure rules behind the admin API: roles claim, key type, CIDRs, audit field names. */
class AdminRulesTest {

  @Test
  void adminRoleIsFoundInAnArrayOrASeparatedString() {
    assertThat(AdminAuth.hasRole(new JsonObject().put("roles", new JsonArray().add("x").add("kyc-admin")), "roles", "kyc-admin")).isTrue();
    assertThat(AdminAuth.hasRole(new JsonObject().put("roles", "x kyc-admin"), "roles", "kyc-admin")).isTrue();
    assertThat(AdminAuth.hasRole(new JsonObject().put("roles", "x,kyc-admin"), "roles", "kyc-admin")).isTrue();
    assertThat(AdminAuth.hasRole(new JsonObject().put("roles", "kyc-admins"), "roles", "kyc-admin")).isFalse();
    assertThat(AdminAuth.hasRole(new JsonObject(), "roles", "kyc-admin")).isFalse();
  }

  @Test
  void adminRoleIsFoundAtADottedClaimPath() {
    JsonObject claims = new JsonObject().put("realm_access", new JsonObject().put("roles", new JsonArray().add("kyc-admin")));
    assertThat(AdminAuth.hasRole(claims, "realm_access.roles", "kyc-admin")).isTrue();
    assertThat(AdminAuth.hasRole(claims, "roles", "kyc-admin")).isFalse();
    assertThat(AdminAuth.hasRole(new JsonObject().put("realm_access", "kyc-admin"), "realm_access.roles", "kyc-admin")).isFalse();
  }

  @Test
  void publicKeyAlgorithmFollowsTheKeyType() throws Exception {
    assertThat(AdminAuth.algorithmOf(Jwts.pem(Jwts.rsaKeyPair().getPublic()))).isEqualTo("RS256");
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    assertThat(AdminAuth.algorithmOf(Jwts.pem(ec.generateKeyPair().getPublic()))).isEqualTo("ES256");
  }

  @Test
  void cidrsAreParsedAsLiteralsOnly() {
    assertThat(AdminRequests.validCidr("10.0.0.0/8")).isTrue();
    assertThat(AdminRequests.validCidr("192.168.1.7/32")).isTrue();
    assertThat(AdminRequests.validCidr("2001:db8::/32")).isTrue();
    assertThat(AdminRequests.validCidr("10.0.0.0/33")).isFalse();
    assertThat(AdminRequests.validCidr("256.0.0.0/8")).isFalse();
    assertThat(AdminRequests.validCidr("10.0.0.0")).isFalse();
    assertThat(AdminRequests.validCidr("example.com/8")).isFalse();
    assertThat(AdminRequests.validCidr("abcd::12345/64")).isFalse();
    assertThat(AdminRequests.validCidr("2001:db8::/129")).isFalse();
  }

  @Test
  void auditChangesNameFieldsNeverValues() {
    JsonObject before = new JsonObject().put("enabled", true)
        .put("api", new JsonObject().put("apiKey", "old-key").put("baseUrl", "https://a.test"));
    JsonObject after = new JsonObject().put("enabled", true)
        .put("api", new JsonObject().put("apiKey", "new-key").put("baseUrl", "https://a.test"))
        .put("webhookAuth", new JsonObject().put("secrets", new JsonArray().add("s")));
    assertThat(Changes.fieldNames(before, after)).containsExactly("api.apiKey", "webhookAuth.secrets");
    assertThat(Changes.fieldNames(null, new JsonObject().put("enabled", true))).containsExactly("enabled");
  }
}
