package io.kychub.providers.sovera;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.ProviderApiSettings;
import io.kychub.providers.api.HttpCalls;
import io.kychub.providers.api.PollRequest;
import io.kychub.providers.api.ProviderClient;
import io.kychub.providers.api.StartRequest;
import io.kychub.providers.api.StartedVerification;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Sovera hands out its {@code kycURL} from an onboarding call that is not public, so the link is
 * the tenant's configured {@code kycUrl}: {@code {customerId}} in it is replaced by the customer
 * id, else the id is appended as {@code userId}. Sovera has no status API.
 */
public final class SoveraClient implements ProviderClient {

  static final String PLACEHOLDER = "{customerId}";

  @Override
  public Future<StartedVerification> start(ProviderApiSettings api, StartRequest request) {
    return HttpCalls.require(SoveraAdapter.NAME, api, "kycUrl")
        .map(s -> new StartedVerification(null, link(s.kycUrl().trim(), request.customerId()), null));
  }

  @Override
  public Future<Optional<CanonicalUpdate>> poll(ProviderApiSettings api, PollRequest request) {
    return Future.succeededFuture(Optional.empty());
  }

  static String link(String kycUrl, String customerId) {
    String id = HttpCalls.segment(customerId);
    if (kycUrl.contains(PLACEHOLDER)) {
      return kycUrl.replace(PLACEHOLDER, id);
    }
    return kycUrl + (kycUrl.contains("?") ? "&" : "?") + "userId=" + id;
  }
}
