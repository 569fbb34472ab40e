package io.kychub.ingress;

import io.kychub.model.Hashing;
import io.kychub.model.RawWebhook;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.ParsedWebhook;
import io.kychub.providers.auth.WebhookAuthenticator;

/**
 * The key that makes a repeated delivery a duplicate: Standard Webhooks' {@code webhook-id}, else
 * the provider's own key (Ondato's envelope id, Ripio's submission/event/time), else the SHA-256
 * of the raw body.
 */
public final class IdempotencyKeys {

  private IdempotencyKeys() {}

  public static String of(WebhookAuthConfig auth, RawWebhook raw, ParsedWebhook parsed) {
    if (WebhookAuthenticator.STANDARD_WEBHOOKS.equals(auth.scheme()) && raw.header("webhook-id") != null) {
      return "swh:" + raw.header("webhook-id");
    }
    if (parsed.idempotencyKey() != null) {
      return "p:" + parsed.idempotencyKey();
    }
    return "sha256:" + Hashing.sha256Hex(raw.body());
  }
}
