package io.kychub.admin;

import io.kychub.model.ApiFailure;
import io.kychub.model.Addresses;
import io.kychub.model.ApiErrors;
import io.kychub.model.CacheInvalidation;
import io.kychub.model.Ids;
import io.kychub.model.ListenerGuard;
import io.kychub.model.ProviderCredential;
import io.kychub.model.Tenant;
import io.kychub.store.AccessIndex;
import io.kychub.store.ApiKeyStore;
import io.kychub.store.AuditStore;
import io.kychub.store.ConflictException;
import io.kychub.store.CredentialStore;
import io.kychub.store.Database;
import io.kychub.store.FollowUps;
import io.kychub.store.InboxStore;
import io.kychub.store.SecretBox;
import io.kychub.store.TenantStore;
import io.kychub.store.WebhookStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin API's routes: validate, persist, audit, tell every node to drop its cached copy, answer. */
final class AdminRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
  private static final int BODY_LIMIT = 64 * 1024;
  private static final int AUDIT_DEFAULT_LIMIT = 50;
  private static final int AUDIT_MAX_LIMIT = 500;
  private static final java.util.List<String> FOLLOW_UP_STATES = java.util.List.of("failed", "pending", "done");

  private final Vertx vertx;
  private final TenantStore tenants;
  private final CredentialStore credentials;
  private final ApiKeyStore apiKeys;
  private final AuditStore audit;
  private final InboxStore inbox;
  private final FollowUps followUps;
  private final WebhookStore webhooks;
  private final ListenerGuard guard;
  private final AccessIndex index;

  AdminRoutes(Vertx vertx, TenantStore tenants, CredentialStore credentials, ApiKeyStore apiKeys, AuditStore audit,
      InboxStore inbox, FollowUps followUps, WebhookStore webhooks, ListenerGuard guard, AccessIndex indexOrNull) {
    this.vertx = vertx;
    this.tenants = tenants;
    this.credentials = credentials;
    this.apiKeys = apiKeys;
    this.audit = audit;
    this.inbox = inbox;
    this.followUps = followUps;
    this.webhooks = webhooks;
    this.guard = guard;
    this.index = indexOrNull;
  }

  Router router(AdminAuth auth) {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      guard.bodyDeadline(vertx, ctx.request());
      ctx.next();
    });
    router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.route("/admin/*").handler(auth.handler());
    // Ids in paths are checked before any query: a NUL byte or an absurd length is a 400.
    router.route("/admin/tenants/:id").handler(AdminRoutes::validTenantId);
    router.route("/admin/tenants/:id/*").handler(AdminRoutes::validTenantId);
    router.route("/admin/tenants/:id/api-keys/:keyId").handler(ctx -> {
      if (!Ids.validApiKeyId(ctx.pathParam("keyId"))) {
        throw ApiFailure.badRequest(Ids.API_KEY_ID_RULE);
      }
      ctx.next();
    });
    router.post("/admin/tenants").handler(this::createTenant);
    router.get("/admin/tenants").handler(this::listTenants);
    router.get("/admin/tenants/:id").handler(this::getTenant);
    router.patch("/admin/tenants/:id").handler(this::patchTenant);
    router.delete("/admin/tenants/:id").handler(this::disableTenant);
    router.put("/admin/tenants/:id/providers/:provider").handler(this::putCredential);
    router.get("/admin/tenants/:id/providers/:provider").handler(this::getCredential);
    router.delete("/admin/tenants/:id/providers/:provider").handler(this::deleteCredential);
    router.post("/admin/tenants/:id/api-keys").handler(this::createApiKey);
    router.delete("/admin/tenants/:id/api-keys/:keyId").handler(this::revokeApiKey);
    router.get("/admin/audit").handler(this::listAudit);
    router.get("/admin/inbox/parked").handler(this::listParked);
    router.post("/admin/inbox/:deliveryId/retry").handler(this::retryDelivery);
    router.get("/admin/tenants/:id/webhook-endpoints").handler(this::listEndpoints);
    router.post("/admin/tenants/:id/webhook-endpoints/:endpointId/disable").handler(this::disableEndpoint);
    router.get("/admin/follow-ups").handler(this::listFollowUps);
    router.post("/admin/follow-ups/:followUpId/retry").handler(this::retryFollowUp);
    router.route().failureHandler(AdminRoutes::failure);
    router.errorHandler(404, ctx -> ApiErrors.send(ctx.response(), 404, "not_found", "no such resource"));
    router.errorHandler(405, ctx -> ApiErrors.send(ctx.response(), 405, "method_not_allowed", "method not allowed here"));
    return router;
  }

  private static void validTenantId(RoutingContext ctx) {
    if (!Ids.validTenant(ctx.pathParam("id"))) {
      throw ApiFailure.badRequest(Ids.TENANT_RULE);
    }
    ctx.next();
  }

  private void createTenant(RoutingContext ctx) {
    Tenant tenant = AdminRequests.newTenant(body(ctx));
    tenants.create(tenant)
        .compose(created -> changed(ctx, "tenant.create", "tenant:" + created.id(), created.toJson(),
            new CacheInvalidation(created.id(), null)).map(created))
        .onSuccess(created -> json(ctx, 201, created.toJson()))
        .onFailure(ctx::fail);
  }

  private void listTenants(RoutingContext ctx) {
    tenants.list()
        .map(list -> new JsonArray(list.stream().map(Tenant::toJson).toList()))
        .onSuccess(list -> json(ctx, 200, new JsonObject().put("tenants", list)))
        .onFailure(ctx::fail);
  }

  private void getTenant(RoutingContext ctx) {
    existingTenant(ctx.pathParam("id"))
        .onSuccess(tenant -> json(ctx, 200, tenant.toJson()))
        .onFailure(ctx::fail);
  }

  private void patchTenant(RoutingContext ctx) {
    AdminRequests.TenantPatch patch = AdminRequests.tenantPatch(body(ctx));
    String id = ctx.pathParam("id");
    existingTenant(id)
        .compose(before -> tenants.update(id, patch.name(), patch.enabled(), patch.reuseOn(before.reuse()))
            .map(updated -> updated.orElseThrow(() -> unknownTenant(id)))
            .compose(after -> changed(ctx, "tenant.update", "tenant:" + id, tenantChanges(before, after),
                new CacheInvalidation(id, null)).map(after)))
        .onSuccess(after -> json(ctx, 200, after.toJson()))
        .onFailure(ctx::fail);
  }

  private void disableTenant(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    tenants.disable(id)
        .compose(found -> orFail(found, unknownTenant(id)))
        .compose(v -> changed(ctx, "tenant.disable", "tenant:" + id, new JsonObject(), new CacheInvalidation(id, null)))
        .onSuccess(v -> noContent(ctx))
        .onFailure(ctx::fail);
  }

  private void putCredential(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String provider = knownProvider(ctx);
    ProviderCredential credential = AdminRequests.credential(id, provider, body(ctx), Instant.now());
    existingTenant(id)
        .compose(t -> replaceableCredential(id, provider))
        .compose(before -> credentials.put(credential)
            .compose(after -> changed(ctx, "credential.put", "credential:" + id + "/" + provider,
                credentialChanges(before, after), new CacheInvalidation(id, provider)).map(after)))
        .onSuccess(after -> json(ctx, 200, after.toMaskedJson()))
        .onFailure(ctx::fail);
  }

  private void getCredential(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String provider = knownProvider(ctx);
    credentials.find(id, provider)
        .map(found -> found.orElseThrow(() -> unknownCredential(id, provider)))
        .onSuccess(credential -> json(ctx, 200, credential.toMaskedJson()))
        .onFailure(ctx::fail);
  }

  private void deleteCredential(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String provider = knownProvider(ctx);
    credentials.delete(id, provider)
        .compose(found -> orFail(found, unknownCredential(id, provider)))
        .compose(v -> changed(ctx, "credential.delete", "credential:" + id + "/" + provider, new JsonObject(),
            new CacheInvalidation(id, provider)))
        .onSuccess(v -> noContent(ctx))
        .onFailure(ctx::fail);
  }

  private void createApiKey(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String label = AdminRequests.apiKeyLabel(ctx.body().isEmpty() ? null : body(ctx));
    existingTenant(id)
        .compose(t -> apiKeys.create(id, label, actor(ctx)))
        // Every node's index of keys reads the tenant again, so the new key works everywhere at once.
        .compose(created -> changed(ctx, "apikey.create", "apikey:" + id + "/" + created.id(),
            new JsonObject().put("label", label), new CacheInvalidation(id, null)).map(created))
        .onSuccess(created -> json(ctx, 201, new JsonObject().put("id", created.id()).put("key", created.key())))
        .onFailure(ctx::fail);
  }

  private void revokeApiKey(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String keyId = ctx.pathParam("keyId");
    apiKeys.revoke(id, keyId)
        .compose(found -> orFail(found, ApiFailure.notFound("tenant '" + id + "' has no API key '" + keyId + "'")))
        // tenant-level invalidation also drops any cached key lookups of the tenant
        .compose(v -> changed(ctx, "apikey.revoke", "apikey:" + id + "/" + keyId, new JsonObject(),
            new CacheInvalidation(id, null)))
        .onSuccess(v -> noContent(ctx))
        .onFailure(ctx::fail);
  }

  /** Deliveries the inbox sweep gave up on (still unapplied after every re-drive), newest first. */
  private void listParked(RoutingContext ctx) {
    int limit = pageLimit(ctx);
    Long before = queryNumber(ctx, "before", null);
    String tenant = ctx.request().getParam("tenant");
    inbox.parked(tenant, InboxStore.PARKED_AFTER_ATTEMPTS, limit, before)
        .onSuccess(entries -> json(ctx, 200, new JsonObject().put("deliveries", new JsonArray(entries))))
        .onFailure(ctx::fail);
  }

  /** Gives a stored, unapplied delivery its attempts back: the next inbox sweep applies it again. */
  private void retryDelivery(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("deliveryId"));
    } catch (NumberFormatException e) {
      throw ApiFailure.badRequest("deliveryId must be a number");
    }
    inbox.retry(id)
        .compose(found -> {
          if (!found) {
            return Future.failedFuture(ApiFailure.notFound("no unapplied delivery " + id));
          }
          return changed(ctx, "inbox.retry", "delivery:" + id, new JsonObject(), null);
        })
        .onSuccess(v -> json(ctx, 202, new JsonObject().put("id", id).put("status", "queued for the next inbox sweep")))
        .onFailure(ctx::fail);
  }

  /** A tenant's operator webhook endpoints (never their secrets). */
  private void listEndpoints(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    existingTenant(id)
        .compose(t -> webhooks.list(id, null))
        .onSuccess(list -> json(ctx, 200, new JsonObject().put("endpoints",
            new JsonArray(list.stream().map(e -> (Object) e.toJson()).toList()))))
        .onFailure(ctx::fail);
  }

  /** Stops deliveries to an endpoint (its operator can enable it again); audited. */
  private void disableEndpoint(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String endpointId = ctx.pathParam("endpointId");
    if (!Ids.validEndpointId(endpointId)) {
      throw ApiFailure.badRequest(Ids.ENDPOINT_ID_RULE);
    }
    webhooks.disable(id, endpointId, "disabled by an admin")
        .compose(found -> found ? changed(ctx, "webhook.endpoint.disable", "webhook-endpoint:" + id + "/" + endpointId,
            new JsonObject().put("reason", "disabled by an admin"), null)
            : Future.failedFuture(ApiFailure.notFound("tenant '" + id + "' has no webhook endpoint '" + endpointId + "'")))
        .onSuccess(v -> noContent(ctx))
        .onFailure(ctx::fail);
  }

  /** Follow-ups of status changes in one state (default {@code failed}), newest first. */
  private void listFollowUps(RoutingContext ctx) {
    int limit = pageLimit(ctx);
    String state = ctx.request().getParam("state", "failed");
    if (!FOLLOW_UP_STATES.contains(state)) {
      throw ApiFailure.badRequest("state must be one of " + FOLLOW_UP_STATES);
    }
    Long before = queryNumber(ctx, "before", null);
    followUps.list(state, limit, before)
        .onSuccess(entries -> json(ctx, 200, new JsonObject().put("followUps", new JsonArray(entries))))
        .onFailure(ctx::fail);
  }

  /** Puts a failed follow-up back: the next run of any node tries it again, with its attempts reset. */
  private void retryFollowUp(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("followUpId"));
    } catch (NumberFormatException e) {
      throw ApiFailure.badRequest("followUpId must be a number");
    }
    followUps.retry(id)
        .compose(found -> found ? changed(ctx, "followup.retry", "follow-up:" + id, new JsonObject(), null)
            : Future.failedFuture(ApiFailure.notFound("no failed follow-up " + id)))
        .onSuccess(v -> json(ctx, 202, new JsonObject().put("id", id).put("state", "pending")))
        .onFailure(ctx::fail);
  }

  private void listAudit(RoutingContext ctx) {
    int limit = pageLimit(ctx);
    Long before = queryNumber(ctx, "before", null);
    audit.list(limit, before)
        .onSuccess(entries -> json(ctx, 200, new JsonObject().put("entries", new JsonArray(entries))))
        .onFailure(ctx::fail);
  }

  /**
   * Tells every node first (the change is made), waits until this node's index of tenants and
   * keys has it (so the change holds here once answered), then records who made it.
   */
  private Future<Void> changed(
      RoutingContext ctx, String action, String target, JsonObject details, CacheInvalidation invalidation) {
    Future<Void> applied = Future.succeededFuture();
    if (invalidation != null) {
      vertx.eventBus().publish(Addresses.CACHE_INVALIDATE, invalidation);
      if (index != null) {
        applied = index.refresh(invalidation.tenantId());
      }
    }
    return applied.compose(v -> audit.record(actor(ctx), action, target, details));
  }

  /** The current credential; empty also when it was sealed under a master key that is gone, so it can be replaced. */
  private Future<Optional<ProviderCredential>> replaceableCredential(String id, String provider) {
    return credentials.find(id, provider)
        .recover(e -> e instanceof SecretBox.SealedValueException ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
  }

  private static JsonObject tenantChanges(Tenant before, Tenant after) {
    return new JsonObject().put("changed", Changes.fieldNames(before.toJson(), after.toJson())).put("tenant", after.toJson());
  }

  private static JsonObject credentialChanges(Optional<ProviderCredential> before, ProviderCredential after) {
    return new JsonObject()
        .put("changed", Changes.fieldNames(before.map(ProviderCredential::toSecretJson).orElse(null), after.toSecretJson()))
        .put("secrets", after.webhookAuth().secrets().size());
  }

  private static Future<Void> orFail(boolean found, ApiFailure notFound) {
    return found ? Future.succeededFuture() : Future.failedFuture(notFound);
  }

  private Future<Tenant> existingTenant(String id) {
    return tenants.find(id).map(found -> found.orElseThrow(() -> unknownTenant(id)));
  }

  private static String knownProvider(RoutingContext ctx) {
    String provider = ctx.pathParam("provider");
    if (!KnownProviders.known(provider)) {
      throw ApiFailure.notFound("unknown provider; known: " + KnownProviders.names());
    }
    return provider;
  }

  private static ApiFailure unknownTenant(String id) {
    return ApiFailure.notFound("no tenant '" + id + "'");
  }

  private static ApiFailure unknownCredential(String id, String provider) {
    return ApiFailure.notFound("tenant '" + id + "' has no " + provider + " credential");
  }

  private static String actor(RoutingContext ctx) {
    return ctx.get(AdminAuth.ACTOR);
  }

  private static JsonObject body(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiFailure.badRequest("a JSON object body is required");
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw ApiFailure.badRequest("the body must be a JSON object");
    }
  }

  /** The {@code limit} of a list page: 1 to 500, 50 when absent. */
  private static int pageLimit(RoutingContext ctx) {
    int limit = queryNumber(ctx, "limit", AUDIT_DEFAULT_LIMIT).intValue();
    if (limit < 1 || limit > AUDIT_MAX_LIMIT) {
      throw ApiFailure.badRequest("limit must be between 1 and " + AUDIT_MAX_LIMIT);
    }
    return limit;
  }

  private static Long queryNumber(RoutingContext ctx, String name, Integer def) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      return def == null ? null : def.longValue();
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiFailure.badRequest(name + " must be a whole number");
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  private static void noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204).end();
  }

  /** Expected failures answer with their status; anything else is logged (never a body) and answered 500. */
  private static void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiFailure f) {
      ApiErrors.send(ctx.response(), f.status(), f.code(), f.getMessage());
    } else if (Database.causedByInput(failure)) {
      ApiErrors.send(ctx.response(), 400, "bad_request", "the request holds a value the hub cannot store");
    } else if (failure instanceof ConflictException e) {
      ApiErrors.send(ctx.response(), 409, "conflict", e.getMessage());
    } else if (ctx.statusCode() == 413) {
      ApiErrors.send(ctx.response(), 413, "payload_too_large", "the body is larger than " + BODY_LIMIT + " bytes");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      int status = ctx.statusCode();
      ApiErrors.send(ctx.response(), status, status == 404 ? "not_found" : "bad_request", "the request cannot be handled");
    } else {
      LOG.error("admin request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      ApiErrors.send(ctx.response(), 500, "internal", "internal error");
    }
  }
}
