package io.kychub.providers;

import io.kychub.model.CanonicalUpdate;
import java.util.List;

/**
 * What an adapter read from one webhook.
 *
 * @param eventType the provider's event or status name, for metrics and logs
 * @param idempotencyKey the provider-defined delivery key, or null to use the body's SHA-256
 * @param updates canonical updates; empty when the hub ignores this event type
 */
public record ParsedWebhook(String eventType, String idempotencyKey, List<CanonicalUpdate> updates) {
  public ParsedWebhook {
    updates = List.copyOf(updates);
  }
}
