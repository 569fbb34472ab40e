package io.kychub.providers.api;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.ProviderApiSettings;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * The hub's calls to one provider's API, with the tenant's settings. Futures fail with
 * {@link ProviderApiException}: {@code refused} when the provider answered 4xx, otherwise
 * unavailable (5xx after retries, timeout, connection error).
 */
public interface ProviderClient {

  /** Starts (or fetches) a verification for the customer: link, client secret, provider reference. */
  Future<StartedVerification> start(ProviderApiSettings api, StartRequest request);

  /**
   * The provider's current status of a verification, as a canonical update (its subject is the
   * customer id), or empty when the provider has no status API or nothing to say yet.
   */
  Future<Optional<CanonicalUpdate>> poll(ProviderApiSettings api, PollRequest request);

  /** Whether {@link #decide} forwards a manual decision to the provider. */
  default boolean supportsDecision() {
    return false;
  }

  /** Forwards an operator's manual decision (only where the provider has that API). */
  default Future<Void> decide(ProviderApiSettings api, PollRequest request, boolean verify) {
    return Future.succeededFuture();
  }
}
