package io.kychub.reconcile;

import io.kychub.model.ProviderCredential;
import io.kychub.providers.api.PollRequest;
import io.kychub.providers.api.ProviderApiException;
import io.kychub.providers.api.ProviderClient;
import io.kychub.store.CredentialStore;
import io.kychub.store.CustomerStore;
import io.kychub.store.FollowUps.FollowUp;
import io.vertx.core.Future;
import java.util.Map;

/**
 * The follow-up {@code provider.forward}: tells the provider a manual decision where it has a
 * decision API (Vivamo). The decision was recorded before; this only informs the provider, and is
 * retried while the provider is unavailable or the hub lacks its API settings. A provider that
 * refuses the request (4xx) fails it at once: the admin API lists it, with the reason.
 */
public final class DecisionForwarder {

  private final CredentialStore credentials;
  private final CustomerStore customers;
  private final Map<String, ProviderClient> clients;

  public DecisionForwarder(CredentialStore credentials, CustomerStore customers, Map<String, ProviderClient> clients) {
    this.credentials = credentials;
    this.customers = customers;
    this.clients = clients;
  }

  /** Whether decisions of this provider are forwarded at all. */
  public boolean forwards(String provider) {
    ProviderClient client = provider == null ? null : clients.get(provider);
    return client != null && client.supportsDecision();
  }

  public Future<Void> forward(FollowUp followUp) {
    String provider = followUp.payload().getString("provider");
    boolean verify = followUp.payload().getBoolean("verify", false);
    if (!forwards(provider)) {
      return Future.failedFuture(new FollowUpFailure(provider + " has no decision API"));
    }
    return credentials.find(followUp.tenantId(), provider).compose(credential -> {
      if (credential.filter(ProviderCredential::enabled).isEmpty()) {
        return Future.failedFuture(ProviderApiException.notConfigured("the tenant has no enabled " + provider + " credential"));
      }
      Future<java.util.Optional<String>> ref = followUp.verificationIdOrNull() == null
          ? Future.succeededFuture(java.util.Optional.empty()) : customers.providerRef(followUp.verificationIdOrNull());
      return ref.compose(r -> clients.get(provider).decide(credential.get().api(),
          new PollRequest(followUp.customerId(), r.orElse(null)), verify));
    }).recover(err -> err instanceof ProviderApiException p && p.refused()
        ? Future.failedFuture(new FollowUpFailure("the provider refused the decision: " + p.getMessage()))
        : Future.failedFuture(err));
  }
}
