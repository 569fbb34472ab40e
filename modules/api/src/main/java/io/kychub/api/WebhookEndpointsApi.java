package io.kychub.api;

import io.kychub.model.ApiFailure;
import io.kychub.model.Ids;
import io.kychub.model.KycStatus;
import io.kychub.store.AuditStore;
import io.kychub.store.ConflictException;
import io.kychub.store.WebhookStore;
import io.kychub.store.WebhookStore.Endpoint;
import io.kychub.store.WebhookStore.EndpointPatch;
import io.kychub.webhooks.Resolver;
import io.kychub.webhooks.Signatures;
import io.kychub.webhooks.TargetPolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@code /v1/webhook-endpoints}: a tenant's operator webhook endpoints (create with the secret
 * shown once, list, read, change, delete, rotate the secret), their attempts, and replays. Every
 * change is audited under the API key that made it. A target must pass the {@link TargetPolicy},
 * its addresses included, when it is set.
 */
final class WebhookEndpointsApi {

  static final Duration ROTATION_OVERLAP = Duration.ofHours(24);
  static final int MAX_REPLAY = 10_000;
  private static final int LIST_MAX = 500;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebhookStore store;
  private final AuditStore audit;
  private final TargetPolicy policy;
  private final Resolver resolver;

  WebhookEndpointsApi(WebhookStore store, AuditStore audit, TargetPolicy policy, Resolver resolver) {
    this.store = store;
    this.audit = audit;
    this.policy = policy;
    this.resolver = resolver;
  }

  /** Mounts the routes; authentication and the body handler come first, from {@link OperatorApi}. */
  void mount(Router router) {
    router.route("/v1/webhook-endpoints/:endpointId").handler(WebhookEndpointsApi::validId);
    router.route("/v1/webhook-endpoints/:endpointId/*").handler(WebhookEndpointsApi::validId);
    router.post("/v1/webhook-endpoints").handler(this::create);
    router.get("/v1/webhook-endpoints").handler(this::list);
    router.get("/v1/webhook-endpoints/:endpointId").handler(this::read);
    router.patch("/v1/webhook-endpoints/:endpointId").handler(this::update);
    router.delete("/v1/webhook-endpoints/:endpointId").handler(this::delete);
    router.post("/v1/webhook-endpoints/:endpointId/rotate-secret").handler(this::rotate);
    router.get("/v1/webhook-endpoints/:endpointId/attempts").handler(this::attempts);
    router.post("/v1/webhook-endpoints/:endpointId/replay").handler(this::replay);
  }

  private static void validId(RoutingContext ctx) {
    if (!Ids.validEndpointId(ctx.pathParam("endpointId"))) {
      throw ApiFailure.badRequest(Ids.ENDPOINT_ID_RULE);
    }
    ctx.next();
  }

  private void create(RoutingContext ctx) {
    String tenant = ctx.get(OperatorApi.TENANT);
    JsonObject body = Bodies.object(ctx, List.of("url", "description", "statuses"));
    String url = text(body, "url", true);
    String description = description(body);
    List<String> statuses = statuses(body);
    String secret = Signatures.newSecret();
    String id = "we_" + random(12);
    allowedTarget(url)
        .compose(v -> store.create(id, tenant, url, description, statuses, secret))
        .recover(err -> err instanceof ConflictException c
            ? Future.failedFuture(ApiFailure.conflict("too_many_endpoints", c.getMessage())) : Future.failedFuture(err))
        .compose(endpoint -> audited(ctx, "webhook.endpoint.create", endpoint,
            new JsonObject().put("url", endpoint.url()).put("statuses", statuses == null ? null : new JsonArray(statuses)))
            .map(endpoint))
        .compose(endpoint -> json(ctx, 201, endpoint.toJson().put("secret", secret)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    String tenant = ctx.get(OperatorApi.TENANT);
    String status = ctx.request().getParam("status");
    Boolean enabled = status == null ? null : switch (status) {
      case "enabled" -> Boolean.TRUE;
      case "disabled" -> Boolean.FALSE;
      default -> throw ApiFailure.badRequest("status must be enabled or disabled");
    };
    store.list(tenant, enabled)
        .compose(list -> json(ctx, 200, new JsonObject().put("endpoints",
            new JsonArray(list.stream().map(e -> (Object) e.toJson()).toList()))))
        .onFailure(ctx::fail);
  }

  private void read(RoutingContext ctx) {
    existing(ctx).compose(endpoint -> json(ctx, 200, endpoint.toJson())).onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    String tenant = ctx.get(OperatorApi.TENANT);
    JsonObject body = Bodies.object(ctx, List.of("url", "description", "statuses", "enabled"));
    String url = text(body, "url", false);
    Object enabled = body.getValue("enabled");
    if (enabled != null && !(enabled instanceof Boolean)) {
      throw ApiFailure.badRequest("enabled must be true or false");
    }
    List<String> statuses = body.containsKey("statuses") && body.getValue("statuses") == null ? List.of() : statuses(body);
    EndpointPatch patch = new EndpointPatch(url, description(body), statuses, (Boolean) enabled);
    (url == null ? Future.<Void>succeededFuture() : allowedTarget(url))
        .compose(v -> store.update(tenant, ctx.pathParam("endpointId"), patch))
        .compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
            : Future.failedFuture(ApiFailure.notFound("no webhook endpoint " + ctx.pathParam("endpointId"))))
        .compose(endpoint -> audited(ctx, "webhook.endpoint.update", endpoint,
            new JsonObject().put("changed", new JsonArray(new ArrayList<>(body.fieldNames())))).map(endpoint))
        .compose(endpoint -> json(ctx, 200, endpoint.toJson()))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String tenant = ctx.get(OperatorApi.TENANT);
    String id = ctx.pathParam("endpointId");
    existing(ctx)
        .compose(endpoint -> store.delete(tenant, id).compose(v -> audited(ctx, "webhook.endpoint.delete", endpoint,
            new JsonObject())))
        .compose(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** A new secret, shown once; the old one keeps signing beside it for 24 h. */
  private void rotate(RoutingContext ctx) {
    String tenant = ctx.get(OperatorApi.TENANT);
    String secret = Signatures.newSecret();
    Instant previousUntil = Instant.now().plus(ROTATION_OVERLAP);
    store.rotate(tenant, ctx.pathParam("endpointId"), secret, previousUntil)
        .compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
            : Future.failedFuture(ApiFailure.notFound("no webhook endpoint " + ctx.pathParam("endpointId"))))
        .compose(endpoint -> audited(ctx, "webhook.endpoint.rotate-secret", endpoint, new JsonObject()).map(endpoint))
        .compose(endpoint -> json(ctx, 200, endpoint.toJson().put("secret", secret)
            .put("previousSecretValidUntil", previousUntil.toString())))
        .onFailure(ctx::fail);
  }

  private void attempts(RoutingContext ctx) {
    String status = ctx.request().getParam("status");
    if (status != null && !List.of("delivered", "retrying", "failed").contains(status)) {
      throw ApiFailure.badRequest("status must be delivered, retrying or failed");
    }
    int limit = number(ctx, "limit", 50L, 1, LIST_MAX).intValue();
    Long before = number(ctx, "before", null, 1, Long.MAX_VALUE);
    existing(ctx)
        .compose(endpoint -> store.attempts(endpoint.id(), status, limit, before))
        .compose(list -> json(ctx, 200, new JsonObject().put("attempts", new JsonArray(new ArrayList<>(list)))))
        .onFailure(ctx::fail);
  }

  /** Sends events again: every one after {@code since} (of the endpoint's statuses), or the ones listed. */
  private void replay(RoutingContext ctx) {
    String tenant = ctx.get(OperatorApi.TENANT);
    JsonObject body = Bodies.object(ctx, List.of("since", "eventIds"));
    Long since = null;
    List<Long> ids = null;
    if (body.getValue("since") != null) {
      since = eventId(body.getValue("since"), "since");
    }
    if (body.getValue("eventIds") != null) {
      if (!(body.getValue("eventIds") instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_REPLAY) {
        throw ApiFailure.badRequest("eventIds must be a list of 1 to " + MAX_REPLAY + " event ids");
      }
      ids = new ArrayList<>();
      for (Object id : list) {
        ids.add(eventId(id, "eventIds[]"));
      }
    }
    if ((since == null) == (ids == null)) {
      throw ApiFailure.badRequest("give either since (an event id) or eventIds (a list of event ids)");
    }
    Long sinceSeq = since;
    List<Long> seqs = ids;
    existing(ctx)
        .compose(endpoint -> store.replay(tenant, endpoint.id(), sinceSeq, seqs, MAX_REPLAY)
            .compose(n -> audited(ctx, "webhook.endpoint.replay", endpoint, new JsonObject().put("events", n)).map(n)))
        .compose(n -> json(ctx, 202, new JsonObject().put("replayed", n)))
        .onFailure(ctx::fail);
  }

  private Future<Endpoint> existing(RoutingContext ctx) {
    String id = ctx.pathParam("endpointId");
    return store.find(ctx.get(OperatorApi.TENANT), id).compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
        : Future.failedFuture(ApiFailure.notFound("no webhook endpoint " + id)));
  }

  /** The URL's shape and every address its host resolves to now. */
  private Future<Void> allowedTarget(String url) {
    Optional<String> shape = policy.checkUrl(url);
    if (shape.isPresent()) {
      return Future.failedFuture(ApiFailure.badRequest(shape.get()));
    }
    String host = URI.create(url).getHost();
    return resolver.resolve(host)
        .recover(err -> Future.failedFuture(ApiFailure.badRequest("url: the host " + host + " does not resolve")))
        .compose(addresses -> {
          Optional<String> refused = policy.checkAddresses(host, addresses);
          return refused.isPresent() ? Future.failedFuture(ApiFailure.badRequest("url: " + refused.get()))
              : Future.succeededFuture();
        });
  }

  private Future<Void> audited(RoutingContext ctx, String action, Endpoint endpoint, JsonObject details) {
    return audit.record("apikey:" + ctx.get(OperatorApi.KEY_ID), action,
        "webhook-endpoint:" + endpoint.tenantId() + "/" + endpoint.id(), details);
  }

  private static String text(JsonObject body, String field, boolean required) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        throw ApiFailure.badRequest(field + " is required");
      }
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw ApiFailure.badRequest(field + " must be a non-empty string");
    }
    return s.trim();
  }

  private static String description(JsonObject body) {
    String description = text(body, "description", false);
    if (description != null && description.length() > 500) {
      throw ApiFailure.badRequest("description must be at most 500 characters");
    }
    return description;
  }

  /** The statuses to send (null: all); each one of the canonical statuses. */
  private static List<String> statuses(JsonObject body) {
    Object value = body.getValue("statuses");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray list) || list.isEmpty()) {
      throw ApiFailure.badRequest("statuses must be a non-empty list of statuses (omit it for all)");
    }
    List<String> statuses = new ArrayList<>();
    for (Object s : list) {
      try {
        statuses.add(KycStatus.fromWire(String.valueOf(s)).wire());
      } catch (IllegalArgumentException e) {
        throw ApiFailure.badRequest("statuses: '" + s + "' is not one of pending, processing, under_review, verified, "
            + "rejected, expired");
      }
    }
    return List.copyOf(new java.util.LinkedHashSet<>(statuses));
  }

  private static long eventId(Object value, String field) {
    String text = String.valueOf(value);
    if (!text.matches("[0-9]{1,18}")) {
      throw ApiFailure.badRequest(field + " must be an event id (a non-negative integer)");
    }
    return Long.parseLong(text);
  }

  private static Long number(RoutingContext ctx, String name, Long def, long min, long max) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      return def;
    }
    try {
      long n = Long.parseLong(value);
      if (n < min || n > max) {
        throw ApiFailure.badRequest(name + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiFailure.badRequest(name + " must be a whole number");
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
    return ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
