package io.kychub.ingress;

import io.kychub.model.ApiErrors;
import io.kychub.model.ApiFailure;
import io.kychub.model.CanonicalUpdate;
import io.kychub.model.Ids;
import io.kychub.model.InboundDelivery;
import io.kychub.model.ListenerGuard;
import io.kychub.model.RawWebhook;
import io.kychub.model.Tenant;
import io.kychub.providers.MalformedWebhookException;
import io.kychub.providers.ParsedWebhook;
import io.kychub.providers.ProviderAdapter;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.auth.AuthResult;
import io.kychub.providers.auth.WebhookAuthenticator;
import io.kychub.store.InboxStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/{tenantId}/{provider}}: find the tenant's credential, read the body
 * (within the node's budget of unauthenticated bytes and the body timeout), authenticate the raw
 * bytes, take the tenant's rate, check the body is the provider's, store it durably, and only then
 * answer 200; the stored delivery then goes to the provider's adapter through the
 * {@link DeliveryDispatcher}.
 *
 * <p>Anyone can reach this route, so what it costs before authentication is bounded: a tenant
 * that does not exist costs no query ({@link TenantDirectory}), a source that keeps failing
 * authentication for a tenant is refused before its body is read ({@link AuthFailureLimiter}),
 * body buffers grow with the bytes that arrive (never from a declared length) inside a node-wide
 * {@link PreAuthBudget}, and the tenant's rate counts only authenticated deliveries, so forged
 * traffic never uses up a real provider's budget.
 *
 * <p>This is the hot path of the hub, so it does each thing once: the body is collected here
 * (with its size limit) rather than by a second route, headers are read in place, the
 * credential's effective scheme comes resolved from the {@link TenantDirectory}, and the answer
 * is a constant.
 */
public final class WebhookIngressHandler {

  /** The only request headers kept with a stored delivery: never credentials or signatures. */
  static final List<String> KEPT_HEADERS = List.of("content-type", "user-agent", "webhook-id", "webhook-timestamp");

  private static final Logger LOG = LoggerFactory.getLogger(WebhookIngressHandler.class);
  private static final String PATH = "/webhooks/:tenantId/:provider";
  private static final Buffer ACCEPTED = Buffer.buffer("{\"status\":\"accepted\",\"duplicate\":false}");
  private static final Buffer DUPLICATE = Buffer.buffer("{\"status\":\"accepted\",\"duplicate\":true}");
  private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  private static final ApiFailure UNKNOWN_TARGET = ApiFailure.notFound("unknown tenant or provider");
  private static final ApiFailure TOO_MANY_FAILURES =
      new ApiFailure(429, "rate_limited", "too many failed authentications from this address; retry later");
  private static final ApiFailure TENANT_OVER_RATE = new ApiFailure(429, "rate_limited", "tenant over its webhook rate; retry later");
  private static final ApiFailure NO_STORAGE = ApiFailure.unavailable("cannot reach storage; retry later");
  private static final ApiFailure NOT_STORED = ApiFailure.unavailable("cannot store the delivery; retry later");
  private static final ApiFailure OVERLOADED =
      new ApiFailure(503, "overloaded", "too many webhook bodies in flight on this node; retry later");
  private static final ApiFailure BAD_SUBJECT = ApiFailure.badRequest(Ids.SUBJECT_RULE);
  private static final ApiFailure UNAUTHORIZED = ApiFailure.unauthorized("webhook authentication failed");
  /** The first buffer of a body; it grows as bytes arrive (a declared length is not trusted). */
  private static final int INITIAL_BODY_BYTES = 2048;

  /** What the handler works with; the limiters, inbox batcher and dispatcher belong to one listener instance. */
  public record Parts(ProviderRegistry providers, TenantDirectory directory, TenantRateLimiter rateLimiter,
      AuthFailureLimiter failureLimiter, PreAuthBudget budget, ListenerGuard guard, InboxStore inbox,
      DeliveryDispatcher dispatcher, int maxBodyBytes, MeterRegistry registry) {}

  private final Parts p;
  private final WebhookAuthenticator authenticator = new WebhookAuthenticator();
  private final Map<String, Counter> counters = new HashMap<>();

  /** One per listener instance: like the directory, limiters, inbox batcher and dispatcher it is given, it is not thread-safe. */
  public WebhookIngressHandler(Parts parts) {
    this.p = parts;
  }

  /** Mounts the webhook route on a router. */
  public void mount(Router router) {
    router.post(PATH).handler(this::admit).failureHandler(this::fail);
  }

  /** Cheap checks before the body is read: known provider, size, tenant and credential, failures of this source. */
  private void admit(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // Hold the body until admission is decided.
    request.pause();
    String tenantId = ctx.pathParam("tenantId");
    String provider = ctx.pathParam("provider").toLowerCase(Locale.ROOT);
    ProviderAdapter adapter = p.providers().find(provider).orElse(null);
    if (adapter == null || !Tenant.validId(tenantId)) {
      reject(ctx, provider, UNKNOWN_TARGET);
      return;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declared = length == null ? -1 : parseLength(length);
    if (declared > p.maxBodyBytes()) {
      tooLarge(ctx, provider);
      return;
    }
    String source = remoteIp(request);
    if (!p.failureLimiter().allows(tenantId, source, System.nanoTime())) {
      reject(ctx, provider, TOO_MANY_FAILURES);
      return;
    }
    long arrived = System.nanoTime();
    p.directory().find(tenantId, provider).onComplete(ar -> {
      if (ar.failed()) {
        reject(ctx, provider, NO_STORAGE);
      } else if (ar.result().isEmpty()) {
        reject(ctx, provider, UNKNOWN_TARGET);
      } else {
        readBody(ctx, ar.result().get(), adapter, arrived);
      }
    });
  }

  /**
   * Collects the body up to the size limit, each chunk taken from the node's budget of
   * unauthenticated bytes, within the body timeout (counted from the request's arrival); then
   * receives it. Whatever happens, the bytes go back to the budget exactly once.
   */
  private void readBody(RoutingContext ctx, TenantDirectory.Target target, ProviderAdapter adapter, long arrivedNanos) {
    HttpServerRequest request = ctx.request();
    BodyReader reader = new BodyReader(ctx, adapter.name());
    long leftMillis = p.guard().bodyTimeoutMillis() - (System.nanoTime() - arrivedNanos) / 1_000_000;
    reader.timer = ctx.vertx().setTimer(Math.max(1, leftMillis), id -> reader.timedOut());
    request.handler(reader::chunk);
    request.exceptionHandler(e -> reader.abandon());
    request.endHandler(v -> {
      if (reader.finish()) {
        receive(ctx, target, adapter, reader.body.getBytes(), reader);
      }
    });
    request.resume();
  }

  /** One body being read: its buffer, its share of the budget, its timer. Runs on the request's event loop. */
  private final class BodyReader {
    final RoutingContext ctx;
    final String provider;
    final Buffer body = Buffer.buffer(INITIAL_BODY_BYTES);
    long reserved;
    long timer = -1;
    boolean done;

    BodyReader(RoutingContext ctx, String provider) {
      this.ctx = ctx;
      this.provider = provider;
    }

    void chunk(Buffer chunk) {
      if (done) {
        return;
      }
      if (body.length() + chunk.length() > p.maxBodyBytes()) {
        stop();
        tooLarge(ctx, provider);
      } else if (!p.budget().tryReserve(chunk.length())) {
        stop();
        close(ctx, provider, OVERLOADED);
      } else {
        reserved += chunk.length();
        body.appendBuffer(chunk);
      }
    }

    /** True when the whole body is here and nothing was refused. */
    boolean finish() {
      if (done) {
        return false;
      }
      cancelTimer();
      done = true;
      return true;
    }

    void timedOut() {
      timer = -1;
      if (!done) {
        stop();
        p.guard().countBodyTimeout();
        close(ctx, provider, new ApiFailure(408, "request_timeout", "the body did not arrive within " + p.guard().bodyTimeoutMillis() + " ms"));
      }
    }

    void abandon() {
      if (!done) {
        stop();
      }
    }

    /** Authenticated or refused: the body no longer counts against the budget. */
    void release() {
      if (reserved > 0) {
        p.budget().release(reserved);
        reserved = 0;
      }
    }

    private void stop() {
      done = true;
      cancelTimer();
      release();
    }

    private void cancelTimer() {
      if (timer >= 0) {
        ctx.vertx().cancelTimer(timer);
        timer = -1;
      }
    }
  }

  private void receive(RoutingContext ctx, TenantDirectory.Target target, ProviderAdapter adapter, byte[] body,
      BodyReader reader) {
    HttpServerRequest request = ctx.request();
    String provider = adapter.name();
    Instant now = Instant.now();
    String tenantId = target.tenant().id();
    String remote = remoteIp(request);
    RawWebhook raw = new RawWebhook(tenantId, provider, new RequestHeaders(request.headers()), body, remote, now);
    AuthResult result = authenticator.verify(target.auth(), raw, now);
    reader.release();
    if (!result.ok()) {
      p.failureLimiter().failed(tenantId, remote, System.nanoTime());
      count(provider, "unauthorized_" + result.reason());
      ApiErrors.send(ctx.response(), UNAUTHORIZED);
      return;
    }
    if (!p.rateLimiter().tryAcquire(tenantId, System.nanoTime())) {
      reject(ctx, provider, TENANT_OVER_RATE);
      return;
    }
    ParsedWebhook parsed;
    try {
      parsed = adapter.parse(raw);
    } catch (MalformedWebhookException e) {
      reject(ctx, provider, ApiFailure.badRequest(e.getMessage()));
      return;
    }
    for (CanonicalUpdate update : parsed.updates()) {
      if (!Ids.validCustomer(update.subject())) {
        reject(ctx, provider, BAD_SUBJECT);
        return;
      }
    }
    String key = IdempotencyKeys.of(target.auth(), raw, parsed);
    Map<String, String> kept = keptHeaders(raw);
    p.inbox().append(new InboxStore.Entry(tenantId, provider, key, now, new JsonObject(new HashMap<>(kept)), body))
        .onComplete(ar -> {
          if (ar.failed()) {
            reject(ctx, provider, NOT_STORED);
            return;
          }
          InboxStore.Stored stored = ar.result();
          count(provider, stored.duplicate() ? "duplicate" : "accepted");
          ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
              .end(stored.duplicate() ? DUPLICATE : ACCEPTED);
          if (!stored.duplicate()) {
            p.dispatcher().dispatch(new InboundDelivery(stored.id(), tenantId, provider, now, kept, body));
          }
        });
  }

  /** The {@link #KEPT_HEADERS} a webhook came with, to store beside its body. */
  public static Map<String, String> keptHeaders(RawWebhook raw) {
    Map<String, String> kept = new HashMap<>(4);
    for (String name : KEPT_HEADERS) {
      String value = raw.header(name);
      if (value != null) {
        kept.put(name, value);
      }
    }
    return kept;
  }

  private void fail(RoutingContext ctx) {
    String provider = String.valueOf(ctx.pathParam("provider"));
    LOG.error("webhook for {}/{} failed", ctx.pathParam("tenantId"), provider, ctx.failure());
    reject(ctx, provider, new ApiFailure(500, "internal", "internal error"));
  }

  /** Nothing more of an oversized body is read: answer and close the connection. */
  private void tooLarge(RoutingContext ctx, String provider) {
    close(ctx, provider, new ApiFailure(413, "payload_too_large", "body over " + p.maxBodyBytes() + " bytes"));
  }

  /** Answers and closes the connection: the rest of the body is never read. */
  private void close(RoutingContext ctx, String provider, ApiFailure failure) {
    count(provider, failure.code());
    HttpServerResponse response = ctx.response();
    if (!response.ended() && !response.closed()) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      ApiErrors.send(response, failure).onComplete(v -> ctx.request().connection().close());
    } else {
      ctx.request().connection().close();
    }
  }

  /**
   * Answers a refused webhook. The webhook route answers its own failures (not through the
   * listener's failure handler) because some close the connection and each is counted by its code;
   * the failures are the same typed ones, in the same shape.
   */
  private void reject(RoutingContext ctx, String provider, ApiFailure failure) {
    count(provider, failure.code());
    if (failure.status() == 429) {
      ctx.response().putHeader("retry-after", "1");
    }
    if (!ctx.response().ended()) {
      ApiErrors.send(ctx.response(), failure);
    }
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      // Rejected before the body was read: discard it so the connection can serve the next request
      // (the body timeout of the listener still bounds how long that may take).
      p.guard().bodyDeadline(ctx.vertx(), request);
      request.handler(chunk -> { });
      request.endHandler(v -> { });
      request.resume();
    }
  }

  private void count(String provider, String outcome) {
    String name = p.providers().find(provider).isPresent() ? provider : "unknown";
    counters.computeIfAbsent(name + '/' + outcome, k -> Counter.builder("kyc.webhooks")
        .description("webhook deliveries by provider and outcome")
        .tag("provider", name).tag("outcome", outcome).register(p.registry())).increment();
  }

  private static String remoteIp(HttpServerRequest request) {
    return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
