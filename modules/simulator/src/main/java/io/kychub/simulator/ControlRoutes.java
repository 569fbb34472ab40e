package io.kychub.simulator;

import io.kychub.model.KycStatus;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The simulator's control endpoints, so a person (curl), the demo or the benchmark can drive it
 * over HTTP. For local use only: they have no authentication.
 *
 * <pre>
 * GET    /_sim                          what this simulator is, and the API settings for a tenant
 * POST   /_sim/targets                  {hub, tenant, secret, username?, scheme?, header?}
 * POST   /_sim/webhooks                 {tenant, customerId, status | statuses[], reason?, at?, shuffle?, duplicates?, seed?}
 * POST   /_sim/customers/{id}/status    {status, reason?}: changes the status without a webhook
 * GET    /_sim/customers/{id}
 * POST   /_sim/faults                   {failNext, status} | {refuseAll: status} | {stallNext, millis}
 * DELETE /_sim/faults
 * </pre>
 *
 * A reason is {@code "AML_HIT"} or {@code {"code": "AML_HIT", "detail": "..."}}.
 */
final class ControlRoutes {

  private ControlRoutes() {}

  static void mount(Router router, ProviderSimulator sim) {
    router.get("/_sim").handler(ctx -> ProviderSimulator.json(ctx, 200, describe(sim)));
    router.post("/_sim/targets").handler(ctx -> guarded(ctx, () -> {
      sim.addTarget(HubTarget.fromJson(body(ctx)));
      ctx.response().setStatusCode(204).end();
    }));
    router.post("/_sim/webhooks").handler(ctx -> guarded(ctx, () -> sendWebhooks(ctx, sim, body(ctx))));
    router.post("/_sim/customers/:id/status").handler(ctx -> guarded(ctx, () -> {
      JsonObject body = body(ctx);
      SimCustomer customer = sim.setStatus(ctx.pathParam("id"), status(body.getString("status")), reason(body.getValue("reason")));
      ProviderSimulator.json(ctx, 200, customer.toJson());
    }));
    router.get("/_sim/customers/:id").handler(ctx -> sim.customer(ctx.pathParam("id")).ifPresentOrElse(
        c -> ProviderSimulator.json(ctx, 200, c.toJson()),
        () -> ProviderSimulator.error(ctx, 404, "not_found", "no such customer")));
    router.post("/_sim/faults").handler(ctx -> guarded(ctx, () -> {
      setFaults(sim, body(ctx));
      ctx.response().setStatusCode(204).end();
    }));
    router.delete("/_sim/faults").handler(ctx -> {
      sim.clearFaults();
      ctx.response().setStatusCode(204).end();
    });
  }

  private static JsonObject describe(ProviderSimulator sim) {
    JsonArray statuses = new JsonArray();
    sim.statuses().stream().sorted().forEach(s -> statuses.add(s.wire()));
    return new JsonObject()
        .put("provider", sim.name())
        .put("baseUrl", sim.baseUrl())
        .put("statuses", statuses)
        .put("api", sim.apiSettings().toJson())
        .put("apiCalls", sim.apiCalls());
  }

  private static void sendWebhooks(RoutingContext ctx, ProviderSimulator sim, JsonObject body) {
    String tenant = required(body, "tenant");
    String customerId = required(body, "customerId");
    List<KycStatus> statuses = new ArrayList<>();
    if (body.getValue("statuses") instanceof JsonArray list) {
      list.forEach(s -> statuses.add(status(String.valueOf(s))));
    } else {
      statuses.add(status(body.getString("status")));
    }
    boolean shuffle = body.getBoolean("shuffle", false);
    int duplicates = body.getInteger("duplicates", 0);
    Future<List<Integer>> sent;
    if (statuses.size() == 1 && !shuffle && duplicates == 0) {
      String at = body.getString("at");
      sent = sim.sendWebhook(tenant, customerId, statuses.get(0), reason(body.getValue("reason")),
          at == null ? Instant.now() : Instant.parse(at)).map(List::of);
    } else {
      SequenceOptions options = new SequenceOptions(shuffle, duplicates, body.getLong("seed", System.nanoTime()), null);
      sent = sim.sequence(tenant, customerId, statuses, options);
    }
    sent.onSuccess(answers -> ProviderSimulator.json(ctx, 200, new JsonObject().put("hubAnswers", new JsonArray(answers))))
        .onFailure(e -> ProviderSimulator.error(ctx, e instanceof IllegalArgumentException ? 400 : 502,
            e instanceof IllegalArgumentException ? "bad_request" : "hub_unreachable", e.getMessage()));
  }

  private static void setFaults(ProviderSimulator sim, JsonObject body) {
    if (body.containsKey("refuseAll")) {
      sim.refuseAll(body.getInteger("refuseAll"));
    } else if (body.containsKey("failNext")) {
      sim.failNext(body.getInteger("failNext"), body.getInteger("status", 503));
    } else if (body.containsKey("stallNext")) {
      sim.stallNext(body.getInteger("stallNext"), body.getLong("millis", 15_000L));
    } else {
      throw new IllegalArgumentException("expected failNext, refuseAll or stallNext");
    }
  }

  private static KycStatus status(String value) {
    return KycStatus.fromWire(value);
  }

  /** {@code "AML_HIT"} or {@code {code, detail}}; null for none. */
  static Reason reason(Object value) {
    if (value instanceof String code) {
      return Reason.of(ReasonCode.valueOf(code.trim().toUpperCase(Locale.ROOT)), null);
    }
    if (value instanceof JsonObject json) {
      return Reason.fromJson(json.put("code", json.getString("code", "OTHER").toUpperCase(Locale.ROOT)));
    }
    return null;
  }

  private static JsonObject body(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    if (body == null) {
      throw new IllegalArgumentException("a JSON object body is required");
    }
    return body;
  }

  private static String required(JsonObject body, String field) {
    String value = body.getString(field);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  /** Runs a handler; bad input (unknown status, missing field, wrong type) answers 400. */
  private static void guarded(RoutingContext ctx, Runnable handler) {
    try {
      handler.run();
    } catch (RuntimeException e) {
      ProviderSimulator.error(ctx, 400, "bad_request", String.valueOf(e.getMessage()));
    }
  }
}
