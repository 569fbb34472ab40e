package io.kychub.providers;

import io.kychub.model.RawWebhook;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.api.ProviderClient;
import io.vertx.ext.web.client.WebClient;

/**
 * Everything the hub knows about one provider's webhooks. Pure code: no I/O, no Vert.x instance.
 * Adding a provider means one package with one implementation and a line in {@link ProviderRegistry}.
 * Only {@link #client} does I/O.
 */
public interface ProviderAdapter {

  /** The lowercase provider name used in paths and storage ({@code vivamo}, {@code ondato} ...). */
  String name();

  /** The provider's own webhook authentication; a tenant's credential may override any field. */
  WebhookAuthConfig defaultAuth();

  /**
   * Reads an already authenticated webhook.
   *
   * @return the idempotency key the provider's format defines (null: the hub falls back to the
   *     SHA-256 of the body) and the canonical updates (empty for event types the hub ignores)
   * @throws MalformedWebhookException when the body is not what this provider sends
   */
  ParsedWebhook parse(RawWebhook webhook) throws MalformedWebhookException;

  /**
   * This provider's API client, using the node's web client (one per node, shared). Cheap to call;
   * state worth keeping across calls (Ondato's access tokens) lives in the adapter.
   */
  ProviderClient client(WebClient webClient);
}
