package io.kychub.ingress;

import io.kychub.model.Addresses;
import io.kychub.model.ApiErrors;
import io.kychub.model.InboundDelivery;
import io.kychub.model.RawWebhook;
import io.kychub.model.Tenant;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.MalformedWebhookException;
import io.kychub.providers.ParsedWebhook;
import io.kychub.providers.ProviderAdapter;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.auth.AuthResult;
import io.kychub.providers.auth.WebhookAuthenticator;
import io.kychub.store.InboxStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/{tenantId}/{provider}}: rate limit, find the tenant's credential,
 * authenticate the raw bytes, check the body is the provider's, store it durably, and only then
 * answer 200; the stored delivery then goes to the provider's adapter over the event bus.
 */
public final class WebhookIngressHandler {

  /** The only request headers kept with a stored delivery: never credentials or signatures. */
  static final List<String> KEPT_HEADERS = List.of("content-type", "user-agent", "webhook-id", "webhook-timestamp");

  private static final Logger LOG = LoggerFactory.getLogger(WebhookIngressHandler.class);
  private static final String PATH = "/webhooks/:tenantId/:provider";

  private final Vertx vertx;
  private final ProviderRegistry providers;
  private final TenantDirectory directory;
  private final TenantRateLimiter rateLimiter;
  private final InboxStore inbox;
  private final int maxBodyBytes;
  private final WebhookAuthenticator authenticator = new WebhookAuthenticator();
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public WebhookIngressHandler(Vertx vertx, ProviderRegistry providers, TenantDirectory directory,
      TenantRateLimiter rateLimiter, InboxStore inbox, int maxBodyBytes, MeterRegistry registry) {
    this.vertx = vertx;
    this.providers = providers;
    this.directory = directory;
    this.rateLimiter = rateLimiter;
    this.inbox = inbox;
    this.maxBodyBytes = maxBodyBytes;
    this.registry = registry;
  }

  /** Mounts the webhook route on a router. */
  public void mount(Router router) {
    // Two routes: vertx-web wants the body handler first on a route, and admission must run
    // before the body is read (the request stays paused until the body handler resumes it).
    router.post(PATH).handler(this::admit).failureHandler(this::fail);
    router.post(PATH)
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(this::receive)
        .failureHandler(this::fail);
  }

  /** Cheap checks before the body is read: known provider, rate, tenant and credential. */
  private void admit(RoutingContext ctx) {
    // Hold the body until admission is decided; the body handler resumes the request.
    ctx.request().pause();
    String tenantId = ctx.pathParam("tenantId");
    String provider = ctx.pathParam("provider").toLowerCase(Locale.ROOT);
    if (providers.find(provider).isEmpty() || !Tenant.validId(tenantId)) {
      reject(ctx, provider, 404, "not_found", "unknown tenant or provider");
      return;
    }
    String length = ctx.request().getHeader("content-length");
    if (length != null && parseLength(length) > maxBodyBytes) {
      // Nothing of an oversized body is read: answer and close the connection.
      ctx.response().putHeader("connection", "close");
      reject(ctx, provider, 413, "payload_too_large", "body over " + maxBodyBytes + " bytes");
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
        ctx.put(TenantDirectory.Target.class.getName(), ar.result().get());
        ctx.next();
      }
    });
  }

  private void receive(RoutingContext ctx) {
    TenantDirectory.Target target = ctx.get(TenantDirectory.Target.class.getName());
    String provider = target.credential().provider();
    ProviderAdapter adapter = providers.find(provider).orElseThrow();
    HttpServerRequest request = ctx.request();
    Map<String, String> headers = new HashMap<>();
    request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    Instant now = Instant.now();
    String remote = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    RawWebhook raw = new RawWebhook(target.tenant().id(), provider, headers, body, remote, now);

    WebhookAuthConfig auth = target.credential().webhookAuth().withDefaults(adapter.defaultAuth());
    AuthResult result = authenticator.verify(auth, raw, now);
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
    String key = IdempotencyKeys.of(auth, raw, parsed);
    JsonObject kept = new JsonObject();
    KEPT_HEADERS.forEach(h -> {
      if (headers.containsKey(h)) {
        kept.put(h, headers.get(h));
      }
    });
    inbox.append(new InboxStore.Entry(raw.tenantId(), provider, key, now, kept, body)).onComplete(ar -> {
      if (ar.failed()) {
        reject(ctx, provider, 503, "unavailable", "cannot store the delivery; retry later");
        return;
      }
      InboxStore.Stored stored = ar.result();
      count(provider, stored.duplicate() ? "duplicate" : "accepted");
      ctx.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("status", "accepted").put("duplicate", stored.duplicate()).encode());
      if (!stored.duplicate()) {
        Map<String, String> keptHeaders = new HashMap<>();
        kept.forEach(e -> keptHeaders.put(e.getKey(), String.valueOf(e.getValue())));
        vertx.eventBus().send(Addresses.adapter(provider),
            new InboundDelivery(stored.id(), raw.tenantId(), provider, now, keptHeaders, body));
      }
    });
  }

  private void fail(RoutingContext ctx) {
    String provider = String.valueOf(ctx.pathParam("provider"));
    if (ctx.statusCode() == 413) {
      reject(ctx, provider, 413, "payload_too_large", "body over " + maxBodyBytes + " bytes");
    } else if (ctx.statusCode() == 400) {
      reject(ctx, provider, 400, "bad_request", "unreadable request body");
    } else {
      LOG.error("webhook for {}/{} failed", ctx.pathParam("tenantId"), provider, ctx.failure());
      reject(ctx, provider, 500, "internal", "internal error");
    }
  }

  private void reject(RoutingContext ctx, String provider, int status, String error, String message) {
    count(provider, error);
    ApiErrors.send(ctx.response(), status, error, message);
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      // Rejected before the body was read: discard it so the connection can serve the next request.
      request.handler(chunk -> { });
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
