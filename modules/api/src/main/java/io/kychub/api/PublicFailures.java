package io.kychub.api;

import io.kychub.model.ApiErrors;
import io.kychub.model.ApiFailure;
import io.kychub.providers.api.ProviderApiException;
import io.kychub.store.Database;
import io.kychub.store.StateConflictException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public listener's one failure handler: every route fails its request with a typed failure
 * ({@code ctx.fail(...)}) and this answers it, so each kind of failure has one status and code
 * everywhere. Errors name the party at fault: the caller (4xx), the hub's own settings
 * ({@code provider_not_configured}), the provider ({@code provider_refused}, {@code
 * provider_unavailable}), or the hub's storage ({@code unavailable}).
 */
public final class PublicFailures {

  private static final Logger LOG = LoggerFactory.getLogger(PublicFailures.class);

  private PublicFailures() {}

  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    HttpServerRequest request = ctx.request();
    if (failure instanceof ApiFailure f) {
      ApiErrors.send(ctx.response(), f.status(), f.code(), f.getMessage());
    } else if (failure instanceof ProviderApiException p) {
      switch (p.kind()) {
        case NOT_CONFIGURED -> ApiErrors.send(ctx.response(), 409, "provider_not_configured",
            "the hub lacks this tenant's settings for the provider: " + p.getMessage());
        case REFUSED -> ApiErrors.send(ctx.response(), 502, "provider_refused",
            "the provider refused the request: " + p.getMessage());
        case UNAVAILABLE -> {
          ctx.response().putHeader("retry-after", "5");
          ApiErrors.send(ctx.response(), 503, "provider_unavailable", "the provider is unavailable; retry later");
        }
      }
    } else if (failure instanceof StateConflictException) {
      ApiErrors.send(ctx.response(), 409, "conflict", "the customer's state changed meanwhile; read it and retry");
    } else if (failure != null && Database.causedByInput(failure)) {
      ApiErrors.send(ctx.response(), 400, "bad_request", "the request holds a value the hub cannot store");
    } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      int status = ctx.statusCode();
      ApiErrors.send(ctx.response(), status, status == 413 ? "payload_too_large" : status == 404 ? "not_found" : "bad_request",
          status == 413 ? "the body is too large" : "the request cannot be handled");
    } else if (failure == null) {
      LOG.error("{} {} failed with status {}", request.method(), ctx.normalizedPath(), ctx.statusCode());
      ApiErrors.send(ctx.response(), 500, "internal", "internal error");
    } else if (Database.isOutage(failure)) {
      // Storage could not be reached: the caller retries.
      LOG.warn("{} {} failed: {}", request.method(), ctx.normalizedPath(), String.valueOf(failure.getMessage()));
      ApiErrors.send(ctx.response(), 503, "unavailable", "cannot complete the request now; retry later");
    } else {
      LOG.error("{} {} failed", request.method(), ctx.normalizedPath(), failure);
      ApiErrors.send(ctx.response(), 500, "internal", "internal error");
    }
    if (!request.isEnded()) {
      request.resume();
    }
  }
}
