package io.kychub.ingress;

import io.kychub.model.Addresses;
import io.kychub.model.InboundDelivery;
import io.kychub.model.ListenerGuard;
import io.kychub.model.ProviderApiSettings;
import io.kychub.model.ProviderCredential;
import io.kychub.model.RecordCodec;
import io.kychub.model.ReusePolicy;
import io.kychub.model.SecretValue;
import io.kychub.model.Tenant;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.auth.WebhookSigner;
import io.kychub.store.Database;
import io.kychub.store.InboxStore;
import io.kychub.testkit.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook route alone on loopback for a test class: one {@link WebhookIngressHandler} in a
 * verticle (one event loop, as a listener instance), a real inbox on a migrated fresh database,
 * tenants and credentials from memory, and an adapter address for every provider that records
 * what the dispatcher hands it. Nothing else of the hub runs.
 */
final class IngressHarness implements AutoCloseable {

  /** The limits of the listener under test; {@link #defaults()} are the hub's, with a tenant rate tests never reach. */
  record Limits(double tenantRatePerSecond, double authFailuresPerSecond, int maxBodyBytes, long preAuthBudgetBytes,
      long bodyTimeoutMillis) {

    static Limits defaults() {
      return new Limits(1_000, 50, 256 * 1024, 64L * 1024 * 1024, 10_000);
    }

    Limits withTenantRate(double perSecond) {
      return new Limits(perSecond, authFailuresPerSecond, maxBodyBytes, preAuthBudgetBytes, bodyTimeoutMillis);
    }

    Limits withAuthFailures(double perSecond) {
      return new Limits(tenantRatePerSecond, perSecond, maxBodyBytes, preAuthBudgetBytes, bodyTimeoutMillis);
    }
  }

  final Vertx vertx;
  final WebClient http;
  final PreAuthBudget budget;
  /** Deliveries the dispatcher handed to an adapter address, in order. */
  final List<InboundDelivery> delivered = new CopyOnWriteArrayList<>();
  private final Tenants tenants;
  private final Pool sql;
  private final Pool inboxPool;
  private final String deployment;
  private final int port;

  private IngressHarness(Vertx vertx, Tenants tenants, Pool sql, Pool inboxPool, PreAuthBudget budget, String deployment,
      int port) {
    this.vertx = vertx;
    this.tenants = tenants;
    this.sql = sql;
    this.inboxPool = inboxPool;
    this.budget = budget;
    this.deployment = deployment;
    this.port = port;
    // No user agent of the client's own: the tests choose every header a provider sends.
    this.http = WebClient.create(vertx, new WebClientOptions().setUserAgentEnabled(false));
  }

  static IngressHarness start(Class<?> owner, Limits limits) throws Exception {
    String url = TestDatabase.freshDatabaseUrl(owner);
    Vertx vertx = Vertx.vertx();
    RecordCodec.registerAll(vertx.eventBus());
    Database.migrate(vertx, url).await(60, TimeUnit.SECONDS);
    Pool sql = Database.pool(vertx, url, 2);
    Pool inboxPool = Database.pool(vertx, url, 2, "kyc-inbox-test");
    PreAuthBudget budget = new PreAuthBudget(limits.preAuthBudgetBytes(), new SimpleMeterRegistry());
    Tenants tenants = new Tenants();
    Listener listener = new Listener(limits, tenants, inboxPool, budget);
    String deployment = vertx.deployVerticle(listener).await(30, TimeUnit.SECONDS);
    IngressHarness harness = new IngressHarness(vertx, tenants, sql, inboxPool, budget, deployment, listener.server.actualPort());
    for (String provider : ProviderRegistry.standard().names()) {
      vertx.eventBus().<InboundDelivery>consumer(Addresses.adapter(provider), m -> {
        harness.delivered.add(m.body());
        m.reply(null);
      }).completion().await(10, TimeUnit.SECONDS);
    }
    return harness;
  }

  /** Tenants and credentials held in memory: the directory's source, counting what it is asked. */
  private static final class Tenants implements TenantDirectory.Source {
    final Map<String, Tenant> byId = new ConcurrentHashMap<>();
    final Map<String, ProviderCredential> credentials = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();

    @Override
    public Future<Optional<Tenant>> tenant(String tenantId) {
      lookups.incrementAndGet();
      return Future.succeededFuture(Optional.ofNullable(byId.get(tenantId)));
    }

    @Override
    public Future<Optional<ProviderCredential>> credential(String tenantId, String provider) {
      lookups.incrementAndGet();
      return Future.succeededFuture(Optional.ofNullable(credentials.get(tenantId + '/' + provider)));
    }
  }

  /** The handler and its parts, built as the public listener builds them, on the verticle's event loop. */
  private static final class Listener extends VerticleBase {
    private final Limits limits;
    private final Tenants tenants;
    private final Pool inboxPool;
    private final PreAuthBudget budget;
    private HttpServer server;
    private TenantDirectory directory;

    Listener(Limits limits, Tenants tenants, Pool inboxPool, PreAuthBudget budget) {
      this.limits = limits;
      this.tenants = tenants;
      this.inboxPool = inboxPool;
      this.budget = budget;
    }

    @Override
    public Future<?> start() {
      ProviderRegistry providers = ProviderRegistry.standard();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      // The node's index of tenants is the same map: an unknown tenant id costs the source nothing.
      directory = new TenantDirectory(vertx, tenants, tenants.byId::containsKey, providers, 30_000);
      ListenerGuard guard = new ListenerGuard("public", 1_000, 60, limits.bodyTimeoutMillis());
      InboxStore inbox = new InboxStore(inboxPool, 64, 2);
      DeliveryDispatcher dispatcher = new DeliveryDispatcher(vertx, 64, 1_000, 10_000, new AtomicLong(), registry);
      Router router = Router.router(vertx);
      new WebhookIngressHandler(new WebhookIngressHandler.Parts(providers, directory,
          new TenantRateLimiter(limits.tenantRatePerSecond()), new AuthFailureLimiter(limits.authFailuresPerSecond(), 1_000),
          budget, guard, inbox, dispatcher, limits.maxBodyBytes(), registry)).mount(router);
      server = guard.watch(vertx.createHttpServer(guard.apply(new HttpServerOptions().setHost("127.0.0.1").setPort(0))));
      return directory.start().compose(v -> server.requestHandler(router).listen());
    }

    @Override
    public Future<?> stop() {
      return Future.join(directory.stop(), server.close());
    }
  }

  // --- tenants ---------------------------------------------------------------------------------

  /** An enabled tenant with a credential for every provider: the provider's default scheme, one secret. */
  void tenant(String tenantId, String secret) {
    tenants.byId.put(tenantId, new Tenant(tenantId, "Tenant " + tenantId, true, ReusePolicy.DEFAULT, Instant.now()));
    for (String provider : ProviderRegistry.standard().names()) {
      WebhookAuthConfig auth = new WebhookAuthConfig(null, List.of(new SecretValue(secret, null)), "user-" + provider,
          null, null, null, null, List.of(), null);
      tenants.credentials.put(tenantId + '/' + provider,
          new ProviderCredential(tenantId, provider, true, auth, ProviderApiSettings.NONE, Instant.now()));
    }
  }

  /** Times the directory asked its source for a tenant or a credential (the hub's queries). */
  int lookups() {
    return tenants.lookups.get();
  }

  // --- provider --------------------------------------------------------------------------------

  /** Headers a provider would send: its default scheme, signed with {@code secret}. */
  static Map<String, String> signed(String provider, String secret, String body) {
    WebhookAuthConfig auth = new WebhookAuthConfig(null, List.of(), "user-" + provider, null, null, null, null, List.of(), null)
        .withDefaults(ProviderRegistry.standard().find(provider).orElseThrow().defaultAuth());
    Map<String, String> headers = new HashMap<>(WebhookSigner.sign(auth, secret, body.getBytes(StandardCharsets.UTF_8),
        Instant.now(), "msg_" + UUID.randomUUID()));
    headers.put("content-type", "application/json");
    return headers;
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  Future<HttpResponse<Buffer>> send(String tenant, String provider, String body, Map<String, String> headers) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(h::add);
    return http.postAbs(base() + "/webhooks/" + tenant + "/" + provider).putHeaders(h).sendBuffer(Buffer.buffer(body));
  }

  HttpResponse<Buffer> webhook(String tenant, String provider, String body, Map<String, String> headers) throws Exception {
    return await(send(tenant, provider, body, headers));
  }

  HttpResponse<Buffer> signedWebhook(String tenant, String provider, String secret, String body) throws Exception {
    return webhook(tenant, provider, body, signed(provider, secret, body));
  }

  // --- database --------------------------------------------------------------------------------

  List<Row> sql(String statement, Object... params) throws Exception {
    List<Row> rows = new ArrayList<>();
    await(sql.preparedQuery(statement).execute(Tuple.wrap(params))).forEach(rows::add);
    return rows;
  }

  long count(String statement, Object... params) throws Exception {
    return sql(statement, params).get(0).getLong(0);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    http.close();
    vertx.undeploy(deployment).await(10, TimeUnit.SECONDS);
    Future.join(sql.close(), inboxPool.close()).await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
