package io.kychub.api;

import io.kychub.stream.StreamAccess;
import io.kychub.stream.StreamAccessDenied;
import io.kychub.stream.StreamScope;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who may read {@code GET /v1/events}: a customer's client secret ({@code ?clientSecret=}) sees
 * that customer only; an API key sees its tenant, optionally one customer ({@code ?customerId=}).
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
      return clientSecrets.scope(clientSecret).compose(scope -> scope.isPresent()
          ? Future.succeededFuture(scope.get())
          : Future.failedFuture(new StreamAccessDenied("the client secret is unknown or expired")));
    }
    return auth.tenantOf(request).compose(tenant -> {
      if (tenant.isEmpty()) {
        return Future.failedFuture(new StreamAccessDenied("a valid API key or client secret is required"));
      }
      String customerId = request.getParam("customerId");
      return Future.succeededFuture(customerId == null || customerId.isBlank()
          ? StreamScope.tenant(tenant.get())
          : StreamScope.customer(tenant.get(), customerId));
    });
  }
}
