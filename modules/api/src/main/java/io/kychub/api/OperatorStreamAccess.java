package io.kychub.api;

import io.kychub.stream.StreamAccess;
import io.kychub.stream.StreamAccessDenied;
import io.kychub.stream.StreamScope;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/** Who may read {@code GET /v1/events}: an API key sees its tenant, optionally one customer ({@code ?customerId=}). */
public final class OperatorStreamAccess implements StreamAccess {

  private final ApiKeyAuthenticator auth;

  public OperatorStreamAccess(ApiKeyAuthenticator auth) {
    this.auth = auth;
  }

  @Override
  public Future<StreamScope> resolve(HttpServerRequest request) {
    return auth.tenantOf(request).compose(tenant -> {
      if (tenant.isEmpty()) {
        return Future.failedFuture(new StreamAccessDenied("a valid API key is required"));
      }
      String customerId = request.getParam("customerId");
      return Future.succeededFuture(customerId == null || customerId.isBlank()
          ? StreamScope.tenant(tenant.get())
          : StreamScope.customer(tenant.get(), customerId));
    });
  }
}
