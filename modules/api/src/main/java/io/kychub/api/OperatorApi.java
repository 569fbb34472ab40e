package io.kychub.api;

import io.kychub.model.ApiFailure;
import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.Guard;
import io.kychub.model.Ids;
import io.kychub.model.KycStatus;
import io.kychub.model.ListenerGuard;
import io.kychub.model.NewVerification;
import io.kychub.model.ProviderCredential;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.StatusChange;
import io.kychub.model.StatusChangedEvent;
import io.kychub.model.SubjectKind;
import io.kychub.model.VerificationIds;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.api.ProviderClient;
import io.kychub.providers.api.StartRequest;
import io.kychub.reconcile.DecisionForwarder;
import io.kychub.reconcile.DecisionPath;
import io.kychub.reconcile.ReuseCoordinator;
import io.kychub.store.AuditStore;
import io.kychub.store.CredentialStore;
import io.kychub.store.CustomerStore;
import io.kychub.store.EventLog;
import io.kychub.store.FollowUps;
import io.kychub.store.KycStore;
import io.kychub.store.StartRequestStore;
import io.kychub.store.StateConflictException;
import io.kychub.store.WebhookStore;
import io.kychub.webhooks.Resolver;
import io.kychub.webhooks.TargetPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API under {@code /v1}: every route needs an API key and sees only its tenant. Every
 * status change it makes (a start, a manual decision, a reuse) goes through the {@link
 * DecisionPath}; every failure is a typed one answered by {@link PublicFailures}.
 */
public final class OperatorApi {

  /** What the operator API works with. */
  public record Services(
      Vertx vertx,
      ApiKeyAuthenticator auth,
      KycStore kyc,
      EventLog events,
      CustomerStore customers,
      CredentialStore credentials,
      ProviderRegistry providers,
      Map<String, ProviderClient> clients,
      DecisionPath door,
      ReuseCoordinator reuse,
      DecisionForwarder forwarder,
      FollowUps followUps,
      ClientSecrets clientSecrets,
      StartRequestStore startRequests,
      ListenerGuard guard,
      WebhookStore webhooks,
      AuditStore audit,
      TargetPolicy targets,
      Resolver resolver,
      byte[] fingerprintKeyOrNull,
      long pendingTtlMillis) {}

  private static final Logger LOG = LoggerFactory.getLogger(OperatorApi.class);
  static final String TENANT = "kyc.tenant";
  /** The id of the request's API key: the actor of the audit entries an operator's changes make. */
  static final String KEY_ID = "kyc.keyId";
  /** Optional request header of a verification start: retries with the same key start nothing new. */
  static final String IDEMPOTENCY_KEY = "idempotency-key";
  private static final Pattern IDEMPOTENCY_KEY_FORM = Pattern.compile("[\\x21-\\x7e]{1,255}");
  private static final int HISTORY_LIMIT = 1000;
  private static final int REVIEW_LIMIT = 500;
  private static final int NOTE_MAX = 1000;

  private final Services s;

  public OperatorApi(Services services) {
    this.s = services;
  }

  public void mount(Router router) {
    for (String path : List.of("/v1/customers/*", "/v1/webhook-endpoints*")) {
      router.route(path).handler(ctx -> {
        s.guard().bodyDeadline(s.vertx(), ctx.request());
        ctx.next();
      });
      router.route(path).handler(this::authenticate);
    }
    router.route("/v1/reviews").handler(this::authenticate);
    router.route("/v1/webhook-endpoints*").handler(BodyHandler.create(false).setBodyLimit(16 * 1024));
    new WebhookEndpointsApi(s.webhooks(), s.audit(), s.targets(), s.resolver()).mount(router);
    router.route("/v1/customers/:customerId").handler(OperatorApi::validCustomerId);
    router.route("/v1/customers/:customerId/*").handler(OperatorApi::validCustomerId);
    router.route("/v1/customers/*").handler(BodyHandler.create(false).setBodyLimit(16 * 1024));
    router.put("/v1/customers/:customerId").handler(this::putCustomer);
    router.post("/v1/customers/:customerId/verifications").handler(this::startVerification);
    router.get("/v1/customers/:customerId/kyc").handler(this::getKyc);
    router.post("/v1/customers/:customerId/kyc/decision").handler(this::decide);
    router.post("/v1/customers/:customerId/client-secret").handler(this::clientSecret);
    router.get("/v1/reviews").handler(this::reviews);
  }

  private void authenticate(RoutingContext ctx) {
    ctx.request().pause();
    s.auth().keyOf(ctx.request()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result().isEmpty()) {
        ctx.response().putHeader("www-authenticate", "Bearer");
        ctx.fail(ApiFailure.unauthorized("a valid API key is required (Authorization: Bearer <key>)"));
      } else {
        ctx.put(TENANT, ar.result().get().tenantId());
        ctx.put(KEY_ID, ar.result().get().keyId());
        ctx.next();
        ctx.request().resume();
      }
    });
  }

  /** The path's customer id has the hub's alphabet and length, checked before any query. */
  private static void validCustomerId(RoutingContext ctx) {
    if (!Ids.validCustomer(ctx.pathParam("customerId"))) {
      throw ApiFailure.badRequest(Ids.CUSTOMER_RULE);
    }
    ctx.next();
  }

  private void putCustomer(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    String customerId = ctx.pathParam("customerId");
    JsonObject body = Bodies.object(ctx, IdentityClaims.FIELDS);
    byte[] fingerprint;
    if (IdentityClaims.absent(body)) {
      fingerprint = null;
    } else if (s.fingerprintKeyOrNull() == null) {
      throw new ApiFailure(503, "identity_disabled", "identity claims need KYC_FINGERPRINT_KEY on the hub");
    } else {
      try {
        fingerprint = IdentityClaims.parse(body).fingerprint(s.fingerprintKeyOrNull());
      } catch (IllegalArgumentException e) {
        throw ApiFailure.badRequest(e.getMessage());
      }
    }
    s.customers().putIdentity(tenant, customerId, fingerprint)
        .compose(v -> json(ctx, 200, new JsonObject().put("customerId", customerId).put("identity", fingerprint != null)))
        .onFailure(ctx::fail);
  }

  private void startVerification(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    String customerId = ctx.pathParam("customerId");
    JsonObject body = Bodies.object(ctx, List.of("provider"));
    String provider = body.getValue("provider") instanceof String p ? p.toLowerCase(Locale.ROOT) : null;
    ProviderClient client = provider == null ? null : s.clients().get(provider);
    if (client == null || s.providers().find(provider).isEmpty()) {
      throw ApiFailure.badRequest("provider must be one of " + s.providers().names());
    }
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key == null) {
      start(tenant, customerId, provider, client).compose(answer -> json(ctx, 201, answer)).onFailure(ctx::fail);
      return;
    }
    if (!IDEMPOTENCY_KEY_FORM.matcher(key).matches()) {
      throw ApiFailure.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters");
    }
    s.startRequests().claim(tenant, key, customerId, provider).compose(claim -> {
      if (claim instanceof StartRequestStore.Replay replay) {
        ctx.response().putHeader("idempotent-replayed", "true");
        return json(ctx, 201, replay.answer());
      }
      if (claim instanceof StartRequestStore.Mismatch) {
        return Future.failedFuture(new ApiFailure(422, "idempotency_key_reused",
            "this Idempotency-Key was used for another customer or provider"));
      }
      if (claim instanceof StartRequestStore.InProgress) {
        ctx.response().putHeader("retry-after", "1");
        return Future.failedFuture(ApiFailure.conflict("request_in_progress",
            "a request with this Idempotency-Key is still running; retry shortly"));
      }
      s.startRequests().purge(tenant).onFailure(err -> LOG.debug("purging old idempotency keys failed: {}", err.getMessage()));
      return start(tenant, customerId, provider, client)
          // The answer is stored before it is sent, so a retry that comes after it replays it. A
          // failure to store it is logged and the answer still goes out (the start happened; a
          // retry then gets 409 until the claim is abandoned).
          .compose(answer -> s.startRequests().complete(tenant, key, answer)
              .recover(err -> {
                LOG.warn("answer for an idempotency key not stored: {}", err.getMessage());
                return Future.succeededFuture();
              })
              .compose(v -> json(ctx, 201, answer)))
          .onFailure(err -> s.startRequests().release(tenant, key)
              // Not started: a retry with this key must run again.
              .onFailure(e -> LOG.warn("idempotency key not released: {}", e.getMessage())));
    }).onFailure(ctx::fail);
  }

  /**
   * Starts a verification, or grants a reuse when the person is verified at an operator that
   * shares; the answer. No credential: {@code provider_not_configured}, and no provider is called.
   */
  private Future<JsonObject> start(String tenant, String customerId, String provider, ProviderClient client) {
    return s.credentials().find(tenant, provider).compose(credential -> {
      if (credential.filter(ProviderCredential::enabled).isEmpty()) {
        return Future.failedFuture(ApiFailure.conflict("provider_not_configured",
            "this tenant has no enabled credential for " + provider));
      }
      return s.customers().ensureCustomer(tenant, customerId)
          .compose(v -> s.reuse().tryReuseAtStart(tenant, customerId))
          .compose(reused -> reused.isPresent()
              ? Future.succeededFuture(started(reused.get(), null, null))
              : startAtProvider(tenant, customerId, provider, client, credential.get()));
    });
  }

  private Future<JsonObject> startAtProvider(String tenant, String customerId, String provider, ProviderClient client,
      ProviderCredential credential) {
    UUID verificationId = VerificationIds.next();
    return client.start(credential.api(), new StartRequest(tenant, customerId, verificationId.toString()))
        .compose(started -> s.door().decide(tenant, provider, new StatusChange(
                new CanonicalUpdate(customerId, SubjectKind.CUSTOMER, KycStatus.PENDING, DecidedBy.PROVIDER, null, null),
                Guard.ANY, null, new NewVerification(verificationId, started.providerReference(), started.url(), null,
                    Instant.now().plusMillis(s.pendingTtlMillis())), false))
            .map(event -> started(event, started.url(), started.clientSecret())));
  }

  private static JsonObject started(StatusChangedEvent event, String url, String clientSecret) {
    JsonObject json = new JsonObject()
        .put("verificationId", event.verificationId())
        .put("status", event.status().wire())
        .put("decidedBy", event.decidedBy().wire());
    if (url != null) {
      json.put("url", url);
    }
    if (clientSecret != null) {
      json.put("clientSecret", clientSecret);
    }
    return json;
  }

  /** The current state and the whole history; a manual decision shows its forwarding as it stands now. */
  private void getKyc(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    String customerId = ctx.pathParam("customerId");
    s.kyc().find(tenant, customerId).compose(state -> {
      if (state.isEmpty() || state.get().status() == null) {
        return Future.failedFuture(ApiFailure.notFound("no KYC state for this customer"));
      }
      return s.events().history(tenant, customerId, HISTORY_LIMIT).compose(history -> {
        List<Long> forwarded = new ArrayList<>();
        history.stream().filter(e -> "pending".equals(e.forwardingOrNull())).forEach(e -> forwarded.add(e.id()));
        return s.followUps().forwarding(tenant, forwarded).compose(states -> {
          JsonArray list = new JsonArray();
          for (StatusChangedEvent e : history) {
            String now = states.get(e.id());
            list.add((now == null ? e : e.withForwarding(now)).toJson());
          }
          return json(ctx, 200, state.get().toJson().put("history", list));
        });
      });
    }).onFailure(ctx::fail);
  }

  private void reviews(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    s.customers().reviews(tenant, REVIEW_LIMIT).compose(list -> {
      JsonArray reviews = new JsonArray();
      list.forEach(r -> reviews.add(new JsonObject().put("customerId", r.customerId()).put("provider", r.provider())
          .put("verificationId", r.verificationId()).put("reason", r.reason() == null ? null : r.reason().toJson())
          .put("since", r.since().toString())));
      return json(ctx, 200, new JsonObject().put("reviews", reviews));
    }).onFailure(ctx::fail);
  }

  /**
   * A manual decision, recorded whatever the provider's API state: where the provider has a
   * decision API (Vivamo), telling it is a follow-up of the decision, and the answer says {@code
   * forwarding: pending} (else {@code not_supported}).
   */
  private void decide(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    String customerId = ctx.pathParam("customerId");
    JsonObject body = Bodies.object(ctx, List.of("verify", "note"));
    if (!(body.getValue("verify") instanceof Boolean verify)) {
      throw ApiFailure.badRequest("verify must be true or false");
    }
    Object noteValue = body.getValue("note");
    if (noteValue != null && !(noteValue instanceof String)) {
      throw ApiFailure.badRequest("note must be a string");
    }
    String note = (String) noteValue;
    if (note != null && note.length() > NOTE_MAX) {
      throw ApiFailure.badRequest("note is longer than " + NOTE_MAX + " characters");
    }
    s.kyc().find(tenant, customerId).compose(state -> {
      if (state.isEmpty() || state.get().status() != KycStatus.UNDER_REVIEW) {
        return Future.failedFuture(notUnderReview(state.map(x -> x.status()).orElse(null)));
      }
      String provider = state.get().provider();
      Reason reason = verify ? null : Reason.of(ReasonCode.OTHER, note == null ? "rejected by the operator" : note);
      // A manual decision keeps its time for ordering: it stands until a provider decision that is newer.
      CanonicalUpdate update = new CanonicalUpdate(customerId, SubjectKind.CUSTOMER,
          verify ? KycStatus.VERIFIED : KycStatus.REJECTED, DecidedBy.OPERATOR, reason, Instant.now());
      return s.door().decide(tenant, provider, new StatusChange(update, Guard.UNDER_REVIEW, null, null,
              s.forwarder().forwards(provider)))
          .recover(err -> err instanceof StateConflictException conflict && conflict.current() != null
              ? Future.failedFuture(notUnderReview(conflict.current().status())) : Future.failedFuture(err));
    }).compose(event -> json(ctx, 200, event.toJson())).onFailure(ctx::fail);
  }

  private void clientSecret(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    String customerId = ctx.pathParam("customerId");
    s.clientSecrets().issue(tenant, customerId)
        .compose(issued -> json(ctx, 201, new JsonObject().put("clientSecret", issued.secret())
            .put("expiresAt", issued.expiresAt().toString())))
        .onFailure(ctx::fail);
  }

  private static ApiFailure notUnderReview(KycStatus status) {
    return ApiFailure.conflict("not_under_review", "a decision is only possible while the customer is under_review (now: "
        + (status == null ? "no state" : status.wire()) + ")");
  }

  private static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
    return ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
