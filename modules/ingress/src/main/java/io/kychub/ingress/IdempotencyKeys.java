package io.kychub.ingress;

import io.kychub.model.RawWebhook;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.ParsedWebhook;
import io.kychub.providers.auth.WebhookAuthenticator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key that makes a repeated delivery a duplicate: Standard Webhooks' {@code webhook-id}, else
 * the provider's own key (Ondato's envelope id, Ripio's submission/event/time), else the SHA-256
 * of the raw body.
 */
final class IdempotencyKeys {

  /** A digest per thread: getting a new one per webhook costs a provider lookup each time. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  });

  private IdempotencyKeys() {}

  static String of(WebhookAuthConfig auth, RawWebhook raw, ParsedWebhook parsed) {
    if (WebhookAuthenticator.STANDARD_WEBHOOKS.equals(auth.scheme()) && raw.header("webhook-id") != null) {
      return "swh:" + raw.header("webhook-id");
    }
    if (parsed.idempotencyKey() != null) {
      return "p:" + parsed.idempotencyKey();
    }
    return "sha256:" + sha256Hex(raw.body());
  }

  static String sha256Hex(byte[] body) {
    // digest() also resets the digest for the next use
    return HexFormat.of().formatHex(SHA256.get().digest(body));
  }
}
