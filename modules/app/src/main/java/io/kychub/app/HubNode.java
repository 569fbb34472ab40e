package io.kychub.app;

import io.kychub.admin.AdminApiVerticle;
import io.kychub.model.ConfigException;
import io.kychub.model.HubConfig;
import io.kychub.model.RecordCodec;
import io.kychub.providers.ProviderAdapterVerticle;
import io.kychub.providers.ProviderRegistry;
import io.kychub.reconcile.DecisionForwarder;
import io.kychub.reconcile.DecisionPath;
import io.kychub.reconcile.FollowUpRunner;
import io.kychub.reconcile.InboxSweepVerticle;
import io.kychub.reconcile.ReconcilerVerticle;
import io.kychub.reconcile.ReuseCoordinator;
import io.kychub.reconcile.VerificationSweepVerticle;
import io.kychub.providers.api.ProviderClient;
import io.kychub.store.CustomerStore;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.kychub.ingress.PreAuthBudget;
import io.kychub.model.ListenerGuard;
import io.kychub.store.AccessIndex;
import io.kychub.store.ApiKeyStore;
import io.kychub.store.AuditStore;
import io.kychub.store.WebhookStore;
import io.kychub.webhooks.Resolver;
import io.kychub.webhooks.RetrySchedule;
import io.kychub.webhooks.TargetPolicy;
import io.kychub.webhooks.WebhookSender;
import io.kychub.store.CredentialTags;
import io.kychub.stream.StreamQuota;
import io.kychub.store.CredentialStore;
import io.kychub.store.Database;
import io.kychub.store.EventLog;
import io.kychub.store.FollowUps;
import io.kychub.store.InboxStore;
import io.kychub.store.KycStore;
import io.kychub.store.SecretBox;
import io.kychub.store.StartRequestStore;
import io.kychub.store.TenantStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hub node: Vert.x (clustered when members are configured), the migrated database, and every
 * verticle: the public listener on each event loop, one adapter per provider, the reconciler, the
 * inbox sweep and the admin API.
 */
public final class HubNode {

  private static final Logger LOG = LoggerFactory.getLogger(HubNode.class);
  /** How long a verification start's Idempotency-Key replays its answer. */
  static final Duration START_KEY_RETENTION = Duration.ofHours(24);
  /** A start's claim with no answer after this is taken to be dead (longer than any provider call). */
  static final Duration START_KEY_ABANDONED = Duration.ofMinutes(2);
  /** Every tenant and API key is read again this often, should an admin change's message be lost. */
  static final long ACCESS_FULL_RELOAD_MILLIS = 60_000;
  /** How often each node looks for due follow-ups besides the nudge after a commit that recorded some. */
  static final long FOLLOW_UP_POLL_MILLIS = 1_000;
  /** How often the database is probed for /health/ready (which lags an outage by up to this). */
  static final long READINESS_PROBE_MILLIS = 1_000;

  private final Vertx vertx;
  private final HubServices services;
  private final PublicHttpVerticle firstPublic;
  private final AdminApiVerticle admin;

  private HubNode(Vertx vertx, HubServices services, PublicHttpVerticle firstPublic, AdminApiVerticle admin) {
    this.vertx = vertx;
    this.services = services;
    this.firstPublic = firstPublic;
    this.admin = admin;
  }

  /** Starts a node; the future fails with the reason when any part cannot start. */
  public static Future<HubNode> start(HubConfig config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    int loops = Math.max(2, Runtime.getRuntime().availableProcessors());
    VertxOptions options = new VertxOptions()
        .setEventLoopPoolSize(loops)
        // Netty's epoll transport where there is one (Linux): fewer system calls per request than
        // NIO, and needed for a database address that is a Unix domain socket. NIO elsewhere.
        .setPreferNativeTransport(true)
        // No Vert.x event-bus metrics: they look up (and re-register) their meters on every message
        // and increment counters shared by all event loops, 5-6 % of the node's CPU at full rate
        // (docs/performance.md, "Event-bus metrics off"); the hub's own kyc_* counters cover its deliveries.
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS));
    var builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
    HazelcastClusterManager cluster = null;
    Future<Vertx> vertxFuture;
    if (config.cluster().clustered()) {
      try {
        cluster = ClusterSetup.clusterManager(config);
        // The event bus binds and announces the same address as Hazelcast, so peers can reach it.
        String host = ClusterSetup.advertisedHost(config);
        options.getEventBusOptions().setHost(host).setClusterPublicHost(host).setPort(config.cluster().busPort());
        ClusterSetup.secureEventBus(options.getEventBusOptions(), config.cluster().tlsOrNull());
      } catch (ConfigException e) {
        return Future.failedFuture(e);
      }
      vertxFuture = builder.withClusterManager(cluster).buildClustered();
    } else {
      vertxFuture = Future.succeededFuture(builder.build());
    }
    HazelcastClusterManager clusterManager = cluster;
    return vertxFuture.compose(vertx -> transportFor(vertx, config).compose(v -> Database.migrate(vertx, config.database().url()))
        .compose(migrated -> {
          LOG.info("database {} ready ({} migrations applied)", config.database().redactedUrl(), migrated);
          return deploy(vertx, config, registry, clusterManager, loops);
        })
        .recover(err -> {
          LOG.error("node start failed: {}", String.valueOf(err), err);
          // Closing completes on Vert.x's own threads, which stop with it: fail now, close behind.
          vertx.close();
          return Future.failedFuture(err);
        }));
  }

  /** Logs the transport in use; a Unix socket database address needs the native one. */
  private static Future<Void> transportFor(Vertx vertx, HubConfig config) {
    if (vertx.isNativeTransportEnabled()) {
      LOG.info("network transport: native (epoll)");
    } else {
      Throwable why = vertx.unavailableNativeTransportCause();
      LOG.info("network transport: NIO (native transport unavailable: {})", why == null ? "not requested" : why.getMessage());
    }
    return checkTransport(vertx.isNativeTransportEnabled(), config.database().url());
  }

  /** Fails with a clear message when the database address is a Unix socket but the transport cannot reach one. */
  static Future<Void> checkTransport(boolean nativeTransport, String dbUrl) {
    if (!nativeTransport && Database.isUnixSocket(Database.connectOptions(dbUrl))) {
      return Future.failedFuture(new ConfigException("KYC_DB_URL names a Unix socket directory, which needs the native "
          + "transport (Linux, x86_64 or aarch64); use a host name or address instead"));
    }
    return Future.succeededFuture();
  }

  private static Future<HubNode> deploy(
      Vertx vertx, HubConfig config, PrometheusMeterRegistry registry, HazelcastClusterManager cluster, int loops) {
    RecordCodec.registerAll(vertx.eventBus());
    Pool pool = Database.pool(vertx, config.database().url(), config.database().poolSize());
    ProviderRegistry providers = ProviderRegistry.standard();
    SecretBox box = new SecretBox(config.keys().masterKeys());
    KycStore kyc = new KycStore(pool);
    TenantStore tenants = new TenantStore(pool);
    CustomerStore customers = new CustomerStore(pool);
    CredentialStore credentials = new CredentialStore(pool, box);
    DecisionPath door = new DecisionPath(vertx, kyc);
    ReuseCoordinator reuse = new ReuseCoordinator(vertx, door, customers, tenants);
    FollowUps followUps = new FollowUps(pool);
    WebClient web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setIdleTimeout(60)
        .setUserAgent("kyc-hub"));
    Map<String, ProviderClient> clients = new HashMap<>();
    for (String name : providers.names()) {
      clients.put(name, providers.find(name).orElseThrow().client(web));
    }
    Pool authPool = Database.pool(vertx, config.database().url(), config.database().authPoolSize(), "kyc-auth");
    CredentialTags tags = new CredentialTags(config.keys().masterKeys());
    ApiKeyStore authKeys = new ApiKeyStore(authPool, tags);
    TenantStore authTenants = new TenantStore(authPool);
    AccessIndex index = new AccessIndex(authTenants, authKeys, ACCESS_FULL_RELOAD_MILLIS);
    ReadinessProbe readiness = new ReadinessProbe(authPool, cluster, READINESS_PROBE_MILLIS);
    HubServices.Access access = new HubServices.Access(index, tags, authKeys, new CustomerStore(authPool), authTenants,
        new CredentialStore(authPool, box), readiness);
    ListenerGuard publicGuard = new ListenerGuard("public", config.limits());
    HubServices.Guards guards = new HubServices.Guards(publicGuard,
        new PreAuthBudget(config.limits().ingressMaxBufferedBytes(), registry), new StreamQuota(config.stream()));
    ListenerMetrics.register(publicGuard, registry);
    DecisionForwarder forwarder = new DecisionForwarder(credentials, customers, Map.copyOf(clients));
    WebhookStore webhookStore = new WebhookStore(pool, box);
    TargetPolicy targets = new TargetPolicy(config.webhooks().allowPrivateTargets());
    HubServices.Webhooks webhooks = new HubServices.Webhooks(webhookStore, new AuditStore(pool), targets,
        Resolver.system(vertx));
    HubServices services = new HubServices(config, pool, registry, providers, tenants, credentials,
        kyc, new EventLog(pool), customers, Map.copyOf(clients), door, reuse, forwarder, followUps,
        new StartRequestStore(pool, box, START_KEY_RETENTION, START_KEY_ABANDONED), new SseMetrics(registry), new AtomicLong(),
        access, guards, webhooks, cluster);

    List<Future<?>> deployed = new ArrayList<>();
    deployed.add(vertx.deployVerticle(index));
    deployed.add(vertx.deployVerticle(readiness));
    for (String name : providers.names()) {
      deployed.add(vertx.deployVerticle(new ProviderAdapterVerticle(providers.find(name).orElseThrow())));
    }
    deployed.add(vertx.deployVerticle(new ReconcilerVerticle(door, config.reconcile().inFlight(),
        config.reconcile().lingerMillis(), registry)));
    deployed.add(vertx.deployVerticle(new FollowUpRunner(followUps, Map.of(
        FollowUps.REUSE_OFFER, reuse::offer,
        FollowUps.REUSE_REVOKE, reuse::revoke,
        FollowUps.PROVIDER_FORWARD, forwarder::forward), FOLLOW_UP_POLL_MILLIS,
        config.reconcile().followUpLeaseSeconds() * 1000L, registry)));
    deployed.add(vertx.deployVerticle(new WebhookSender(webhookStore, webhooks.audit(), webhooks.resolver(),
        new WebhookSender.Settings(targets, new RetrySchedule(config.webhooks().retryScale()),
            Duration.ofSeconds(config.webhooks().disableAfterSeconds()), config.webhooks().timeoutMillis()), registry)));
    deployed.add(vertx.deployVerticle(new VerificationSweepVerticle(customers, door, credentials, services.clients(), reuse,
        config.verification().sweepMillis(), config.verification().pollIdleMillis(), config.verification().pendingTtlMillis(), registry)));
    deployed.add(vertx.deployVerticle(new InboxSweepVerticle(new InboxStore(pool, config.ingest().inboxBatchMax(), 1),
        config.ingest().sweepIntervalMillis(), config.ingest().sweepAgeMillis(), services.dispatchBacklog()::get, registry)));
    ListenerGuard adminGuard = new ListenerGuard("admin", config.limits());
    ListenerMetrics.register(adminGuard, registry);
    AdminApiVerticle admin = new AdminApiVerticle(config, pool, adminGuard, index);
    deployed.add(vertx.deployVerticle(admin));
    return Future.all(deployed).compose(v -> {
      List<PublicHttpVerticle> listeners = new ArrayList<>();
      for (int i = 0; i < loops; i++) {
        listeners.add(new PublicHttpVerticle(services, i, loops));
      }
      Future<?> chain = Future.succeededFuture();
      for (PublicHttpVerticle listener : listeners) {
        chain = chain.compose(x -> vertx.deployVerticle(listener, new DeploymentOptions()));
      }
      return chain.map(x -> {
        HubNode node = new HubNode(vertx, services, listeners.get(0), admin);
        LOG.info("KYC Hub node up: public port {}, admin port {}, {}", node.publicPort(), node.adminPort(),
            config.cluster().description());
        return node;
      });
    });
  }

  public int publicPort() {
    return firstPublic.actualPort();
  }

  public int adminPort() {
    return admin.actualPort();
  }

  public Vertx vertx() {
    return vertx;
  }

  HubServices services() {
    return services;
  }

  /**
   * Stops every verticle, the pool (it closes with Vert.x) and Vert.x, leaving the cluster. Call
   * it from outside Vert.x (a shutdown hook, a test): a future made on an event loop could not
   * complete once the event loops have stopped.
   */
  public Future<Void> close() {
    return vertx.close();
  }
}
