package io.kychub.app;

import io.kychub.api.ApiKeyAuthenticator;
import io.kychub.api.ClientSecrets;
import io.kychub.api.OperatorApi;
import io.kychub.api.OperatorStreamAccess;
import io.kychub.api.PublicFailures;
import io.kychub.ingress.AuthFailureLimiter;
import io.kychub.ingress.DeliveryDispatcher;
import io.kychub.ingress.TenantDirectory;
import io.kychub.ingress.TenantRateLimiter;
import io.kychub.ingress.WebhookIngressHandler;
import io.kychub.model.ApiFailure;
import io.kychub.model.ProviderCredential;
import io.kychub.model.RecordCodec;
import io.kychub.model.Tenant;
import io.kychub.store.Database;
import io.kychub.store.InboxStore;
import io.kychub.stream.EventStreamHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The public listener: webhooks, the operator API, the event stream, health and metrics. Deployed
 * once per event loop; each instance keeps its own caches, inbox batcher and SSE connections, so
 * the hot paths take no lock.
 */
final class PublicHttpVerticle extends VerticleBase {

  private static final long DISPATCH_TIMEOUT_MILLIS = 30_000;
  /** Failure buckets kept per event loop (tenant and source address), least recently used first out. */
  private static final int AUTH_FAILURE_BUCKETS = 10_000;
  private static final long LIMITER_EVICTION_MILLIS = 10_000;
  /**
   * How long a looked-up key or client secret (one not in the node's index yet) is remembered,
   * found or not: longer than the index's full reload, so a stream opened with such a key does not
   * end before the index has the key.
   */
  private static final long KEY_LOOKUP_TTL_MILLIS = 2 * HubNode.ACCESS_FULL_RELOAD_MILLIS;
  private final HubServices hub;
  private final int index;
  private final int instances;
  private HttpServer server;
  private Pool inboxPool;
  private TenantDirectory directory;
  private ApiKeyAuthenticator apiKeys;
  private ClientSecrets clientSecrets;
  private EventStreamHandler stream;

  /** @param index this listener among the node's {@code instances}: names its inbox pool in the metrics */
  PublicHttpVerticle(HubServices hub, int index, int instances) {
    this.hub = hub;
    this.index = index;
    this.instances = instances;
  }

  @Override
  public Future<?> start() {
    RecordCodec.registerAll(vertx.eventBus());
    var config = hub.config();
    var access = hub.access();
    var guards = hub.guards();
    directory = new TenantDirectory(vertx, new TenantDirectory.Source() {
      @Override
      public Future<Optional<Tenant>> tenant(String tenantId) {
        return access.tenants().find(tenantId);
      }

      @Override
      public Future<Optional<ProviderCredential>> credential(String tenantId, String provider) {
        return access.credentials().find(tenantId, provider);
      }
    }, access.index()::tenantExists, hub.providers(), 30_000);
    // Each instance has its own inbox pool, one connection per insert in flight: acknowledging a
    // webhook never waits for a connection held by a reconciler transaction, and the batches stay
    // on this event loop.
    // Named per listener, so each pool's queue and usage show on their own in /metrics (one shared
    // name merged them and logged Micrometer's "Gauge already registered" warning at every start).
    inboxPool = Database.pool(vertx, config.database().url(), config.ingest().inboxInFlight(), "kyc-inbox-" + index);
    InboxStore inbox = new InboxStore(inboxPool, config.ingest().inboxBatchMax(), config.ingest().inboxInFlight());
    // Deliveries each instance keeps unanswered at the adapters (enough for the reconciler to apply
    // a backlog in large groups) and queued behind them (about 1 KiB each; past that the inbox sweep
    // applies them, more slowly).
    DeliveryDispatcher dispatcher = new DeliveryDispatcher(vertx, config.ingest().dispatchInFlight(),
        config.ingest().dispatchQueue(), DISPATCH_TIMEOUT_MILLIS, hub.dispatchBacklog(), hub.registry());
    TenantRateLimiter limiter = new TenantRateLimiter((double) config.limits().tenantRateLimit() / instances);
    AuthFailureLimiter failures = new AuthFailureLimiter((double) config.limits().authFailureLimit() / instances,
        AUTH_FAILURE_BUCKETS);
    // Full buckets hold nothing a new one would not: dropping them keeps memory to the active senders.
    vertx.setPeriodic(LIMITER_EVICTION_MILLIS, id -> {
      long now = System.nanoTime();
      limiter.evictIdle(now);
      failures.evictIdle(now);
    });
    apiKeys = new ApiKeyAuthenticator(access.index(), access.apiKeys(), KEY_LOOKUP_TTL_MILLIS);
    clientSecrets = new ClientSecrets(access.clientSecrets(), access.tags(), access.index(), KEY_LOOKUP_TTL_MILLIS);
    stream = new EventStreamHandler(vertx, hub.events(), new OperatorStreamAccess(apiKeys, clientSecrets), config.stream(),
        guards.streamQuota(), hub.sseMetrics());

    Router router = Router.router(vertx);
    new WebhookIngressHandler(new WebhookIngressHandler.Parts(hub.providers(), directory, limiter, failures,
        guards.preAuthBudget(), guards.listener(), inbox, dispatcher, config.ingest().webhookMaxBytes(), hub.registry()))
        .mount(router);
    new OperatorApi(new OperatorApi.Services(vertx, apiKeys, hub.kyc(), hub.events(), hub.customers(), hub.credentials(),
        hub.providers(), hub.clients(), hub.door(), hub.reuse(), hub.forwarder(), hub.followUps(), clientSecrets,
        hub.startRequests(), guards.listener(), hub.webhooks().store(), hub.webhooks().audit(), hub.webhooks().targets(),
        hub.webhooks().resolver(), config.keys().fingerprintKeyOrNull(), config.verification().pendingTtlMillis()))
        .mount(router);
    router.get("/v1/events").handler(stream);
    router.get("/health/live").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end("{\"status\":\"UP\"}"));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness(access.readiness())));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(hub.registry()));
    router.route().last().handler(ctx -> ctx.fail(ApiFailure.notFound("no such route")));
    router.route().failureHandler(PublicFailures::handle);

    server = guards.listener().watch(vertx.createHttpServer(guards.listener().apply(new HttpServerOptions()
        .setHost(config.http().host()).setPort(config.http().port())
        .setCompressionSupported(false))));
    return Future.all(directory.start(), apiKeys.start(vertx), clientSecrets.start(vertx), stream.ready())
        .compose(v -> server.requestHandler(router).listen());
  }

  @Override
  public Future<?> stop() {
    return Future.join(stream.close(), directory.stop(), apiKeys.stop(), clientSecrets.stop(),
            server.shutdown(1, TimeUnit.SECONDS))
        .compose(v -> inboxPool.close());
  }

  int actualPort() {
    return server.actualPort();
  }

  /** Both checks answer from memory: a health check never costs a query. */
  private HealthChecks readiness(ReadinessProbe probe) {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("database", promise -> promise.complete(probe.databaseReady() ? Status.OK() : Status.KO()));
    if (probe.clustered()) {
      checks.register("cluster", promise -> promise.complete(probe.clusterReady() ? Status.OK() : Status.KO()));
    }
    return checks;
  }
}
