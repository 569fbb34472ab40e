package io.kychub.api;

import io.kychub.model.ApiFailure;
import io.kychub.model.Hashing;
import io.kychub.model.Ids;
import io.kychub.stream.StreamAccess;
import io.kychub.stream.StreamAccessDenied;
import io.kychub.stream.StreamScope;
import io.kychub.stream.StreamScope.Credential;
import io.kychub.stream.StreamScope.Kind;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;

/**
 * Who may read {@code GET /v1/events}: a customer's client secret ({@code ?clientSecret=}) sees
 * that customer only, until the secret expires; an API key sees its tenant, optionally one
 * customer ({@code ?customerId=}), while the key is live. Either way the tenant must be enabled.
 */
public final class OperatorStreamAccess implements StreamAccess {

  private final ApiKeyAuthenticator auth;
  private final ClientSecrets clientSecrets;

  public OperatorStreamAccess(ApiKeyAuthenticator auth, ClientSecrets clientSecrets) {
    this.auth = auth;
    this.clientSecrets = clientSecrets;
  }

  @Override
  public Future<StreamScope> resolve(HttpServerRequest request) {
    String clientSecret = request.getParam("clientSecret");
    if (clientSecret != null) {
      return clientSecrets.grant(clientSecret).compose(grant -> grant.isPresent()
          ? Future.succeededFuture(StreamScope.customer(grant.get().tenantId(), grant.get().customerId(),
              new Credential(Kind.CLIENT_SECRET, Hashing.sha256Hex(clientSecret), grant.get().expiresAt())))
          : Future.failedFuture(new StreamAccessDenied("the client secret is unknown or expired")));
    }
    String customerId = request.getParam("customerId");
    if (customerId != null && !customerId.isBlank() && !Ids.validCustomer(customerId)) {
      return Future.failedFuture(ApiFailure.badRequest(Ids.CUSTOMER_RULE));
    }
    return auth.keyOf(request).compose(key -> {
      if (key.isEmpty()) {
        return Future.failedFuture(new StreamAccessDenied("a valid API key or client secret is required"));
      }
      Credential credential = new Credential(Kind.API_KEY,
          Hashing.sha256Hex(ApiKeyAuthenticator.bearer(request.getHeader("authorization"))), null);
      String tenant = key.get().tenantId();
      return Future.succeededFuture(customerId == null || customerId.isBlank()
          ? StreamScope.tenant(tenant, credential)
          : StreamScope.customer(tenant, customerId, credential));
    });
  }

  @Override
  public boolean holds(StreamScope scope, Instant now) {
    Credential credential = scope.credential();
    return switch (credential.kind()) {
      case CLIENT_SECRET -> clientSecrets.holds(scope.tenantId(), credential.expiresAtOrNull(), now);
      case API_KEY -> auth.stillLive(scope.tenantId(), credential.id());
    };
  }
}
