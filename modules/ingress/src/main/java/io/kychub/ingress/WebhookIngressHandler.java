package io.kychub.ingress;

import io.kychub.model.ApiErrors;
import io.kychub.model.InboundDelivery;
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
 * {@code POST /webhooks/{tenantId}/{provider}}: rate limit, find the tenant's credential,
 * authenticate the raw bytes, check the body is the provider's, store it durably, and only then
 * answer 200; the stored delivery then goes to the provider's adapter through the
 * {@link DeliveryDispatcher}.
 *
 * <p>This is the hot path of the hub, so it does each thing once: admission runs before a byte
 * of the body is read, the body is collected here (with its size limit) rather than by a second
 * route, headers are read in place, the credential's effective scheme comes resolved from the
 * {@link TenantDirectory}, and the answer is a constant.
 */
public final class WebhookIngressHandler {

  /** The only request headers kept with a stored delivery: never credentials or signatures. */
  static final List<String> KEPT_HEADERS = List.of("content-type", "user-agent", "webhook-id", "webhook-timestamp");

  private static final Logger LOG = LoggerFactory.getLogger(WebhookIngressHandler.class);
  private static final String PATH = "/webhooks/:tenantId/:provider";
  private static final Buffer ACCEPTED = Buffer.buffer("{\"status\":\"accepted\",\"duplicate\":false}");
  private static final Buffer DUPLICATE = Buffer.buffer("{\"status\":\"accepted\",\"duplicate\":true}");
  private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  private static final int INITIAL_BODY_BYTES = 2048;

  private final ProviderRegistry providers;
  private final TenantDirectory directory;
  private final TenantRateLimiter rateLimiter;
  private final InboxStore inbox;
  private final DeliveryDispatcher dispatcher;
  private final int maxBodyBytes;
  private final WebhookAuthenticator authenticator = new WebhookAuthenticator();
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new HashMap<>();

  /** One per listener instance: like the directory, limiter, inbox batcher and dispatcher it is given, it is not thread-safe. */
  public WebhookIngressHandler(ProviderRegistry providers, TenantDirectory directory, TenantRateLimiter rateLimiter,
      InboxStore inbox, DeliveryDispatcher dispatcher, int maxBodyBytes, MeterRegistry registry) {
    this.providers = providers;
    this.directory = directory;
    this.rateLimiter = rateLimiter;
    this.inbox = inbox;
    this.dispatcher = dispatcher;
    this.maxBodyBytes = maxBodyBytes;
    this.registry = registry;
  }

  /** Mounts the webhook route on a router. */
  public void mount(Router router) {
    router.post(PATH).handler(this::admit).failureHandler(this::fail);
  }

  /** Cheap checks before the body is read: known provider, size, rate, tenant and credential. */
  private void admit(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // Hold the body until admission is decided.
    request.pause();
    String tenantId = ctx.pathParam("tenantId");
    String provider = ctx.pathParam("provider").toLowerCase(Locale.ROOT);
    ProviderAdapter adapter = providers.find(provider).orElse(null);
    if (adapter == null || !Tenant.validId(tenantId)) {
      reject(ctx, provider, 404, "not_found", "unknown tenant or provider");
      return;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declared = length == null ? -1 : parseLength(length);
    if (declared > maxBodyBytes) {
      tooLarge(ctx, provider);
      return;
    }
    if (!rateLimiter.tryAcquire(tenantId, System.nanoTime())) {
      ctx.response().putHeader("retry-after", "1");
      reject(ctx, provider, 429, "rate_limited", "tenant over its webhook rate; retry later");
      return;
    }
    directory.find(tenantId, provider).onComplete(ar -> {
      if (ar.failed()) {
        reject(ctx, provider, 503, "unavailable", "cannot reach storage; retry later");
      } else if (ar.result().isEmpty()) {
        reject(ctx, provider, 404, "not_found", "unknown tenant or provider");
      } else {
        readBody(ctx, ar.result().get(), adapter, declared);
      }
    });
  }

  /** Collects the body up to the size limit, then receives it. */
  private void readBody(RoutingContext ctx, TenantDirectory.Target target, ProviderAdapter adapter, long declared) {
    HttpServerRequest request = ctx.request();
    Buffer body = Buffer.buffer(declared > 0 ? (int) declared : INITIAL_BODY_BYTES);
    boolean[] overLimit = {false};
    request.handler(chunk -> {
      if (overLimit[0]) {
        return;
      }
      if (body.length() + chunk.length() > maxBodyBytes) {
        overLimit[0] = true;
        tooLarge(ctx, adapter.name());
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> {
      if (!overLimit[0]) {
        receive(ctx, target, adapter, body.getBytes());
      }
    });
    request.resume();
  }

  private void receive(RoutingContext ctx, TenantDirectory.Target target, ProviderAdapter adapter, byte[] body) {
    HttpServerRequest request = ctx.request();
    String provider = adapter.name();
    Instant now = Instant.now();
    String remote = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    RawWebhook raw = new RawWebhook(target.tenant().id(), provider, new RequestHeaders(request.headers()), body, remote, now);
    AuthResult result = authenticator.verify(target.auth(), raw, now);
    if (!result.ok()) {
      count(provider, "unauthorized_" + result.reason());
      ApiErrors.send(ctx.response(), 401, "unauthorized", "webhook authentication failed");
      return;
    }
    ParsedWebhook parsed;
    try {
      parsed = adapter.parse(raw);
    } catch (MalformedWebhookException e) {
      reject(ctx, provider, 400, "bad_request", e.getMessage());
      return;
    }
    String key = IdempotencyKeys.of(target.auth(), raw, parsed);
    Map<String, String> kept = keptHeaders(raw);
    inbox.append(new InboxStore.Entry(raw.tenantId(), provider, key, now, new JsonObject(new HashMap<>(kept)), body))
        .onComplete(ar -> {
          if (ar.failed()) {
            reject(ctx, provider, 503, "unavailable", "cannot store the delivery; retry later");
            return;
          }
          InboxStore.Stored stored = ar.result();
          count(provider, stored.duplicate() ? "duplicate" : "accepted");
          ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
              .end(stored.duplicate() ? DUPLICATE : ACCEPTED);
          if (!stored.duplicate()) {
            dispatcher.dispatch(new InboundDelivery(stored.id(), raw.tenantId(), provider, now, kept, body));
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
    reject(ctx, provider, 500, "internal", "internal error");
  }

  /** Nothing more of an oversized body is read: answer and close the connection. */
  private void tooLarge(RoutingContext ctx, String provider) {
    ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    reject(ctx, provider, 413, "payload_too_large", "body over " + maxBodyBytes + " bytes");
  }

  private void reject(RoutingContext ctx, String provider, int status, String error, String message) {
    count(provider, error);
    if (!ctx.response().ended()) {
      ApiErrors.send(ctx.response(), status, error, message);
    }
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      // Rejected before the body was read: discard it so the connection can serve the next request.
      request.handler(chunk -> { });
      request.endHandler(v -> { });
      request.resume();
    }
  }

  private void count(String provider, String outcome) {
    String name = providers.find(provider).isPresent() ? provider : "unknown";
    counters.computeIfAbsent(name + '/' + outcome, k -> Counter.builder("kyc.webhooks")
        .description("webhook deliveries by provider and outcome")
        .tag("provider", name).tag("outcome", outcome).register(registry)).increment();
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
