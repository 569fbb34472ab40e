package io.kychub.app;

import io.kychub.api.ApiKeyAuthenticator;
import io.kychub.api.ClientSecrets;
import io.kychub.api.OperatorApi;
import io.kychub.api.OperatorStreamAccess;
import io.kychub.ingress.DeliveryDispatcher;
import io.kychub.ingress.TenantDirectory;
import io.kychub.ingress.TenantRateLimiter;
import io.kychub.ingress.WebhookIngressHandler;
import io.kychub.model.ApiErrors;
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
  private final HubServices hub;
  private final int index;
  private final int instances;
  private HttpServer server;
  private Pool inboxPool;
  private TenantDirectory directory;
  private ApiKeyAuthenticator apiKeys;
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
    directory = new TenantDirectory(vertx, new TenantDirectory.Source() {
      @Override
      public Future<Optional<Tenant>> tenant(String tenantId) {
        return hub.tenants().find(tenantId);
      }

      @Override
      public Future<Optional<ProviderCredential>> credential(String tenantId, String provider) {
        return hub.credentials().find(tenantId, provider);
      }
    }, hub.providers(), 30_000);
    // Each instance has its own inbox pool, one connection per insert in flight: acknowledging a
    // webhook never waits for a connection held by a reconciler transaction, and the batches stay
    // on this event loop.
    // Named per listener, so each pool's queue and usage show on their own in /metrics (one shared
    // name merged them and logged Micrometer's "Gauge already registered" warning at every start).
    inboxPool = Database.pool(vertx, config.dbUrl(), config.inboxInFlight(), "kyc-inbox-" + index);
    InboxStore inbox = new InboxStore(inboxPool, config.inboxBatchMax(), config.inboxInFlight());
    // Deliveries each instance keeps unanswered at the adapters (enough for the reconciler to apply
    // a backlog in large groups) and queued behind them (about 1 KiB each; past that the inbox sweep
    // applies them, more slowly).
    DeliveryDispatcher dispatcher = new DeliveryDispatcher(vertx, config.dispatchInFlight(), config.dispatchQueue(),
        DISPATCH_TIMEOUT_MILLIS, hub.dispatchBacklog(), hub.registry());
    TenantRateLimiter limiter = new TenantRateLimiter((double) config.tenantRateLimit() / instances);
    apiKeys = new ApiKeyAuthenticator(hub.apiKeys(), 5_000);
    ClientSecrets clientSecrets = new ClientSecrets(hub.customers());
    stream = new EventStreamHandler(vertx, hub.events(), new OperatorStreamAccess(apiKeys, clientSecrets), config,
        hub.sseMetrics());

    Router router = Router.router(vertx);
    new WebhookIngressHandler(hub.providers(), directory, limiter, inbox, dispatcher, config.webhookMaxBytes(), hub.registry())
        .mount(router);
    new OperatorApi(new OperatorApi.Services(vertx, apiKeys, hub.kyc(), hub.events(), hub.customers(), hub.credentials(),
        hub.providers(), hub.clients(), hub.reuse(), clientSecrets, hub.startRequests(), config.fingerprintKey(),
        config.pendingTtlMillis()))
        .mount(router);
    router.get("/v1/events").handler(stream);
    router.get("/health/live").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end("{\"status\":\"UP\"}"));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness()));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(hub.registry()));
    router.route().last().handler(ctx -> ApiErrors.send(ctx.response(), 404, "not_found", "no such route"));
    router.route().failureHandler(ctx -> {
      int status = ctx.statusCode() >= 400 && ctx.statusCode() < 500 ? ctx.statusCode() : 500;
      ApiErrors.send(ctx.response(), status, status == 500 ? "internal" : "bad_request",
          status == 500 ? "internal error" : "bad request");
    });

    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.httpHost()).setPort(config.httpPort())
        .setCompressionSupported(false).setIdleTimeout(0));
    return Future.all(directory.start(), apiKeys.start(vertx), stream.ready())
        .compose(v -> server.requestHandler(router).listen());
  }

  @Override
  public Future<?> stop() {
    return Future.join(stream.close(), directory.stop(), apiKeys.stop(), server.shutdown(1, TimeUnit.SECONDS))
        .compose(v -> inboxPool.close());
  }

  int actualPort() {
    return server.actualPort();
  }

  private HealthChecks readiness() {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("database", 2_000, promise -> hub.pool().query("SELECT 1").execute()
        .onSuccess(rs -> promise.complete(Status.OK()))
        .onFailure(err -> promise.complete(Status.KO())));
    if (hub.clusterManagerOrNull() != null) {
      checks.register("cluster", 2_000, promise -> promise.complete(
          hub.clusterManagerOrNull().isActive() ? Status.OK() : Status.KO()));
    }
    return checks;
  }
}
