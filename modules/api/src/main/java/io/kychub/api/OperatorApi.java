package io.kychub.api;

import io.kychub.model.ApiErrors;
import io.kychub.model.StatusChangedEvent;
import io.kychub.store.EventLog;
import io.kychub.store.KycStore;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The operator API under {@code /v1}: every route needs an API key and sees only its tenant. */
public final class OperatorApi {

  static final String TENANT = "kyc.tenant";
  private static final int HISTORY_LIMIT = 1000;

  private final ApiKeyAuthenticator auth;
  private final KycStore kyc;
  private final EventLog events;

  public OperatorApi(ApiKeyAuthenticator auth, KycStore kyc, EventLog events) {
    this.auth = auth;
    this.kyc = kyc;
    this.events = events;
  }

  public void mount(Router router) {
    router.route("/v1/customers/*").handler(this::authenticate);
    router.get("/v1/customers/:customerId/kyc").handler(this::getKyc);
  }

  private void authenticate(RoutingContext ctx) {
    auth.tenantOf(ctx.request()).onComplete(ar -> {
      if (ar.failed()) {
        ApiErrors.send(ctx.response(), 503, "unavailable", "cannot check the API key; retry later");
      } else if (ar.result().isEmpty()) {
        ctx.response().putHeader("www-authenticate", "Bearer");
        ApiErrors.send(ctx.response(), 401, "unauthorized", "a valid API key is required (Authorization: Bearer <key>)");
      } else {
        ctx.put(TENANT, ar.result().get());
        ctx.next();
      }
    });
  }

  private void getKyc(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    String customerId = ctx.pathParam("customerId");
    kyc.find(tenant, customerId).compose(state -> {
      if (state.isEmpty()) {
        return ApiErrors.send(ctx.response(), 404, "not_found", "no such customer");
      }
      return events.history(tenant, customerId, HISTORY_LIMIT).compose(history -> {
        JsonArray list = new JsonArray();
        history.stream().map(StatusChangedEvent::toJson).forEach(list::add);
        return ctx.response().putHeader("content-type", "application/json")
            .end(state.get().toJson().put("history", list).encode());
      });
    }).onFailure(err -> ApiErrors.send(ctx.response(), 503, "unavailable", "cannot read the state; retry later"));
  }
}
