package io.kychub.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hand-built test tokens, independent of the library under test. */
final class Jwts {

  static final String HS256_SECRET = "test-admin-hs256-secret-0123456789abcdef";
  static final String ISSUER = "https://idp.test";
  static final String AUDIENCE = "kyc-admin-api";

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private Jwts() {}

  /** Claims of a valid admin token: sub, iss, aud, exp in five minutes, roles [kyc-admin]. */
  static JsonObject admin() {
    return new JsonObject()
        .put("sub", "alice")
        .put("iss", ISSUER)
        .put("aud", AUDIENCE)
        .put("exp", now() + 300)
        .put("roles", new JsonArray().add("kyc-admin"));
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  static String hs256(String secret, JsonObject claims) {
    try {
      String input = segment(new JsonObject().put("alg", "HS256").put("typ", "JWT")) + "." + segment(claims);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String hs256(JsonObject claims) {
    return hs256(HS256_SECRET, claims);
  }

  static String rs256(PrivateKey key, String kidOrNull, JsonObject claims) {
    try {
      JsonObject header = new JsonObject().put("alg", "RS256").put("typ", "JWT");
      if (kidOrNull != null) {
        header.put("kid", kidOrNull);
      }
      String input = segment(header) + "." + segment(claims);
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + B64URL.encodeToString(signature.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code alg: none} with an empty signature. */
  static String unsigned(JsonObject claims) {
    return segment(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + segment(claims) + ".";
  }

  static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(PublicKey key) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  static JsonObject rsaJwk(RSAPublicKey key, String kid) {
    return new JsonObject()
        .put("kty", "RSA")
        .put("kid", kid)
        .put("use", "sig")
        .put("alg", "RS256")
        .put("n", unsigned(key.getModulus()))
        .put("e", unsigned(key.getPublicExponent()));
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return B64URL.encodeToString(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
  }

  private static String segment(JsonObject json) {
    return B64URL.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
