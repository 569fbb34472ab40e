package io.kychub.api;

import io.kychub.model.Addresses;
import io.kychub.model.ApiErrors;
import io.kychub.model.DecidedBy;
import io.kychub.model.Ids;
import io.kychub.model.ListenerGuard;
import io.kychub.model.KycStatus;
import io.kychub.model.ProviderCredential;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.StatusChangedEvent;
import io.kychub.model.VerificationIds;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.api.PollRequest;
import io.kychub.providers.api.ProviderApiException;
import io.kychub.providers.api.ProviderClient;
import io.kychub.providers.api.StartRequest;
import io.kychub.reconcile.ReuseCoordinator;
import io.kychub.store.CredentialStore;
import io.kychub.store.CustomerStore;
import io.kychub.store.Database;
import io.kychub.store.EventLog;
import io.kychub.store.KycStore;
import io.kychub.store.KycStore.HubDecision;
import io.kychub.store.KycStore.NewVerification;
import io.kychub.store.StartRequestStore;
import io.kychub.store.StateConflictException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator API under {@code /v1}: every route needs an API key and sees only its tenant. */
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
      ReuseCoordinator reuse,
      ClientSecrets clientSecrets,
      StartRequestStore startRequests,
      ListenerGuard guard,
      byte[] fingerprintKeyOrNull,
      long pendingTtlMillis) {}

  private static final Logger LOG = LoggerFactory.getLogger(OperatorApi.class);
  static final String TENANT = "kyc.tenant";
  /** Optional request header of a verification start: retries with the same key start nothing new. */
  static final String IDEMPOTENCY_KEY = "idempotency-key";
  private static final Pattern IDEMPOTENCY_KEY_FORM = Pattern.compile("[\\x21-\\x7e]{1,255}");
  private static final String START_KEY = "kyc.startKey";
  private static final int HISTORY_LIMIT = 1000;
  private static final int REVIEW_LIMIT = 500;

  private final Services s;

  public OperatorApi(Services services) {
    this.s = services;
  }

  public void mount(Router router) {
    router.route("/v1/customers/*").handler(ctx -> {
      s.guard().bodyDeadline(s.vertx(), ctx.request());
      ctx.next();
    });
    router.route("/v1/customers/*").handler(this::authenticate);
    router.route("/v1/customers/:customerId").handler(OperatorApi::validCustomerId);
    router.route("/v1/customers/:customerId/*").handler(OperatorApi::validCustomerId);
    router.route("/v1/reviews").handler(this::authenticate);
    router.route("/v1/customers/*").handler(BodyHandler.create(false).setBodyLimit(16 * 1024));
    router.put("/v1/customers/:customerId").handler(this::putCustomer);
    router.post("/v1/customers/:customerId/verifications").handler(this::startVerification);
    router.get("/v1/customers/:customerId/kyc").handler(this::getKyc);
    router.post("/v1/customers/:customerId/kyc/decision").handler(this::decide);
    router.post("/v1/customers/:customerId/client-secret").handler(this::clientSecret);
    router.get("/v1/reviews").handler(this::reviews);
  }

  /** The path's customer id has the hub's alphabet and length, checked before any query. */
  private static void validCustomerId(RoutingContext ctx) {
    if (!Ids.validCustomer(ctx.pathParam("customerId"))) {
      ApiErrors.send(ctx.response(), 400, "bad_request", Ids.CUSTOMER_RULE);
      return;
    }
    ctx.next();
  }

  private void authenticate(RoutingContext ctx) {
    ctx.request().pause();
    s.auth().keyOf(ctx.request()).onComplete(ar -> {
      if (ar.failed()) {
        resumeAndFail(ctx, 503, "unavailable", "cannot check the API key; retry later");
      } else if (ar.result().isEmpty()) {
        ctx.response().putHeader("www-authenticate", "Bearer");
        resumeAndFail(ctx, 401, "unauthorized", "a valid API key is required (Authorization: Bearer <key>)");
      } else {
        ctx.put(TENANT, ar.result().get().tenantId());
        ctx.next();
        ctx.request().resume();
      }
    });
  }

  private static void resumeAndFail(RoutingContext ctx, int status, String error, String message) {
    ApiErrors.send(ctx.response(), status, error, message);
    ctx.request().resume();
  }

  private void putCustomer(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    String customerId = ctx.pathParam("customerId");
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    byte[] fingerprint;
    if (IdentityClaims.absent(body)) {
      fingerprint = null;
    } else if (s.fingerprintKeyOrNull() == null) {
      ApiErrors.send(ctx.response(), 503, "identity_disabled", "identity claims need KYC_FINGERPRINT_KEY on the hub");
      return;
    } else {
      try {
        fingerprint = IdentityClaims.parse(body).fingerprint(s.fingerprintKeyOrNull());
      } catch (IllegalArgumentException e) {
        ApiErrors.send(ctx.response(), 400, "bad_request", e.getMessage());
        return;
      }
    }
    s.customers().putIdentity(tenant, customerId, fingerprint)
        .compose(v -> json(ctx, 200, new JsonObject().put("customerId", customerId).put("identity", fingerprint != null)))
        .onFailure(err -> unavailable(ctx, err));
  }

  private void startVerification(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    String customerId = ctx.pathParam("customerId");
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    String provider = body.getString("provider") == null ? null : body.getString("provider").toLowerCase(Locale.ROOT);
    ProviderClient client = provider == null ? null : s.clients().get(provider);
    if (client == null || s.providers().find(provider).isEmpty()) {
      ApiErrors.send(ctx.response(), 400, "bad_request", "provider must be one of " + s.providers().names());
      return;
    }
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key == null) {
      start(ctx, tenant, customerId, provider, client).onFailure(err -> unavailable(ctx, err));
      return;
    }
    if (!IDEMPOTENCY_KEY_FORM.matcher(key).matches()) {
      ApiErrors.send(ctx.response(), 400, "bad_request", "Idempotency-Key must be 1 to 255 visible ASCII characters");
      return;
    }
    s.startRequests().claim(tenant, key, customerId, provider).compose(claim -> {
      if (claim instanceof StartRequestStore.Replay replay) {
        ctx.response().putHeader("idempotent-replayed", "true");
        return json(ctx, 201, replay.answer());
      }
      if (claim instanceof StartRequestStore.Mismatch) {
        return ApiErrors.send(ctx.response(), 422, "idempotency_key_reused",
            "this Idempotency-Key was used for another customer or provider");
      }
      if (claim instanceof StartRequestStore.InProgress) {
        ctx.response().putHeader("retry-after", "1");
        return ApiErrors.send(ctx.response(), 409, "request_in_progress",
            "a request with this Idempotency-Key is still running; retry shortly");
      }
      s.startRequests().purge(tenant).onFailure(err -> LOG.debug("purging old idempotency keys failed: {}", err.getMessage()));
      ctx.put(START_KEY, key);
      return start(ctx, tenant, customerId, provider, client).onComplete(ar -> {
        if (ar.failed() || ctx.response().getStatusCode() != 201) {
          // Not started: a retry with this key must run again.
          s.startRequests().release(tenant, key).onFailure(err -> LOG.warn("idempotency key not released: {}", err.getMessage()));
        }
      });
    }).onFailure(err -> unavailable(ctx, err));
  }

  /** Starts a verification (or grants reuse) and answers; fails only when storage could not be reached. */
  private Future<Void> start(RoutingContext ctx, String tenant, String customerId, String provider, ProviderClient client) {
    return s.credentials().find(tenant, provider).compose(credential -> {
      if (credential.filter(ProviderCredential::enabled).isEmpty()) {
        return ApiErrors.send(ctx.response(), 409, "provider_not_configured",
            "this tenant has no enabled credential for " + provider);
      }
      return s.customers().ensureCustomer(tenant, customerId)
          .compose(v -> s.reuse().tryReuse(tenant, customerId))
          .compose(reused -> reused.isPresent()
              ? created(ctx, tenant, started(reused.get(), null, null))
              : startAtProvider(ctx, tenant, customerId, provider, client, credential.get()));
    });
  }

  /**
   * Answers 201; under an Idempotency-Key the answer is stored first, so a retry that arrives
   * after this answer replays it. A failure to store it is logged and the answer still goes out
   * (the start happened; a retry then gets 409 until the claim is abandoned).
   */
  private Future<Void> created(RoutingContext ctx, String tenant, JsonObject answer) {
    String key = ctx.get(START_KEY);
    Future<Void> stored = key == null ? Future.succeededFuture()
        : s.startRequests().complete(tenant, key, answer).recover(err -> {
          LOG.warn("answer for an idempotency key not stored: {}", err.getMessage());
          return Future.succeededFuture();
        });
    return stored.compose(v -> json(ctx, 201, answer));
  }

  private Future<Void> startAtProvider(RoutingContext ctx, String tenant, String customerId, String provider,
      ProviderClient client, ProviderCredential credential) {
    UUID verificationId = VerificationIds.next();
    return client.start(credential.api(), new StartRequest(tenant, customerId, verificationId.toString()))
        .compose(started -> s.kyc().decide(new HubDecision(tenant, customerId, provider, KycStatus.PENDING,
                DecidedBy.PROVIDER, null, new NewVerification(verificationId, started.providerReference(), started.url(),
                    null, Instant.now().plusMillis(s.pendingTtlMillis()))), state -> true)
            .compose(event -> {
              publish(List.of(event));
              return created(ctx, tenant, started(event, started.url(), started.clientSecret()));
            }))
        .recover(err -> err instanceof ProviderApiException p ? providerFailed(ctx, p) : Future.failedFuture(err));
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

  private void getKyc(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    String customerId = ctx.pathParam("customerId");
    s.kyc().find(tenant, customerId).compose(state -> {
      if (state.isEmpty() || state.get().status() == null) {
        return ApiErrors.send(ctx.response(), 404, "not_found", "no KYC state for this customer");
      }
      return s.events().history(tenant, customerId, HISTORY_LIMIT).compose(history -> {
        JsonArray list = new JsonArray();
        history.stream().map(StatusChangedEvent::toJson).forEach(list::add);
        return json(ctx, 200, state.get().toJson().put("history", list));
      });
    }).onFailure(err -> unavailable(ctx, err));
  }

  private void reviews(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    s.customers().reviews(tenant, REVIEW_LIMIT).compose(list -> {
      JsonArray reviews = new JsonArray();
      list.forEach(r -> reviews.add(new JsonObject().put("customerId", r.customerId()).put("provider", r.provider())
          .put("verificationId", r.verificationId()).put("reason", r.reason() == null ? null : r.reason().toJson())
          .put("since", r.since().toString())));
      return json(ctx, 200, new JsonObject().put("reviews", reviews));
    }).onFailure(err -> unavailable(ctx, err));
  }

  private void decide(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    String customerId = ctx.pathParam("customerId");
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    if (!(body.getValue("verify") instanceof Boolean verify)) {
      ApiErrors.send(ctx.response(), 400, "bad_request", "verify must be true or false");
      return;
    }
    String note = body.getValue("note") == null ? null : String.valueOf(body.getValue("note"));
    if (note != null && note.length() > 1000) {
      ApiErrors.send(ctx.response(), 400, "bad_request", "note is longer than 1000 characters");
      return;
    }
    s.kyc().find(tenant, customerId).compose(state -> {
      if (state.isEmpty() || state.get().status() != KycStatus.UNDER_REVIEW) {
        return notUnderReview(ctx, state.map(x -> x.status()).orElse(null));
      }
      String provider = state.get().provider();
      return forwardDecision(tenant, customerId, provider, state.get().verificationId(), verify)
          .compose(v -> s.kyc().decide(new HubDecision(tenant, customerId, provider,
                  verify ? KycStatus.VERIFIED : KycStatus.REJECTED, DecidedBy.OPERATOR,
                  verify ? null : Reason.of(ReasonCode.OTHER, note == null ? "rejected by the operator" : note), null),
              current -> current.status() == KycStatus.UNDER_REVIEW))
          .compose(event -> {
            publish(List.of(event));
            return json(ctx, 200, event.toJson());
          })
          .recover(err -> {
            if (err instanceof StateConflictException conflict) {
              return notUnderReview(ctx, conflict.current().status());
            }
            return err instanceof ProviderApiException p ? providerFailed(ctx, p) : Future.failedFuture(err);
          });
    }).onFailure(err -> unavailable(ctx, err));
  }

  /** Where the provider has a decision API (Vivamo), the decision is made there first. */
  private Future<Void> forwardDecision(String tenant, String customerId, String provider, String verificationId,
      boolean verify) {
    ProviderClient client = provider == null ? null : s.clients().get(provider);
    if (client == null || !client.supportsDecision()) {
      return Future.succeededFuture();
    }
    Future<Optional<String>> ref = verificationId == null ? Future.succeededFuture(Optional.empty())
        : s.customers().providerRef(UUID.fromString(verificationId));
    return s.credentials().find(tenant, provider).compose(credential -> {
      if (credential.isEmpty()) {
        return Future.failedFuture(new ProviderApiException(true, 0, "no credential to forward the decision with"));
      }
      return ref.compose(r -> client.decide(credential.get().api(), new PollRequest(customerId, r.orElse(null)), verify));
    });
  }

  private void clientSecret(RoutingContext ctx) {
    String tenant = ctx.get(TENANT);
    String customerId = ctx.pathParam("customerId");
    s.clientSecrets().issue(tenant, customerId)
        .compose(issued -> json(ctx, 201, new JsonObject().put("clientSecret", issued.secret())
            .put("expiresAt", issued.expiresAt().toString())))
        .onFailure(err -> unavailable(ctx, err));
  }

  private void publish(List<StatusChangedEvent> events) {
    events.forEach(e -> s.vertx().eventBus().publish(Addresses.EVENTS, e));
    s.reuse().afterEvents(events).onFailure(err -> LOG.warn("reuse follow-up failed: {}", err.getMessage()));
  }

  private static Future<Void> notUnderReview(RoutingContext ctx, KycStatus status) {
    return ApiErrors.send(ctx.response(), 409, "not_under_review",
        "a decision is only possible while the customer is under_review (now: "
            + (status == null ? "no state" : status.wire()) + ")");
  }

  private static Future<Void> providerFailed(RoutingContext ctx, ProviderApiException e) {
    return e.refused()
        ? ApiErrors.send(ctx.response(), 502, "provider_refused", "the provider refused the request: " + e.getMessage())
        : ApiErrors.send(ctx.response(), 503, "provider_unavailable", "the provider is unavailable; retry later");
  }

  private static void unavailable(RoutingContext ctx, Throwable err) {
    if (Database.causedByInput(err)) {
      ApiErrors.send(ctx.response(), 400, "bad_request", "the request holds a value the hub cannot store");
      return;
    }
    LOG.warn("operator API {} {} failed: {}", ctx.request().method(), ctx.normalizedPath(), err.getMessage());
    ApiErrors.send(ctx.response(), 503, "unavailable", "cannot complete the request now; retry later");
  }

  private static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
    return ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  /** The request's JSON object body ({} when empty), or null after answering 400. */
  private static JsonObject jsonBody(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      return new JsonObject();
    }
    try {
      JsonObject body = ctx.body().asJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (DecodeException | ClassCastException e) {
      ApiErrors.send(ctx.response(), 400, "bad_request", "the body must be a JSON object");
      return null;
    }
  }
}
