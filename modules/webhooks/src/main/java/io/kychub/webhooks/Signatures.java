package io.kychub.webhooks;

import io.kychub.model.SecretValue;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing of operator deliveries: a secret is {@code whsec_} and the base64 of
 * 24 random bytes; a signature is {@code v1,} and the base64 HMAC-SHA256 of
 * {@code id.timestamp.body} under the secret's bytes; with two live secrets (a rotation) both
 * signatures go in the header, space-separated.
 */
public final class Signatures {

  static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Signatures() {}

  public static String newSecret() {
    byte[] key = new byte[24];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The {@code webhook-signature} header for the secrets live at {@code now}. */
  public static String header(List<SecretValue> secrets, String id, long timestampSeconds, byte[] body, Instant now) {
    List<String> signatures = new ArrayList<>();
    for (SecretValue secret : secrets) {
      if (secret.liveAt(now)) {
        signatures.add("v1," + sign(secret.value(), id, timestampSeconds, body));
      }
    }
    return String.join(" ", signatures);
  }

  /** The base64 HMAC-SHA256 of {@code id.timestamp.body}. */
  public static String sign(String secret, String id, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static byte[] key(String secret) {
    return Base64.getDecoder().decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret);
  }
}
