package io.kychub.bench;

import io.kychub.model.HubConfig;

import io.kychub.ingress.IdempotencyKeys;
import io.kychub.ingress.WebhookIngressHandler;
import io.kychub.model.RawWebhook;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.MalformedWebhookException;
import io.kychub.providers.ParsedWebhook;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.auth.WebhookAuthenticator;
import io.kychub.store.Database;
import io.kychub.store.InboxStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Limit (a), the CPU ceiling of the HTTP path: a bare Vert.x server, with the hub's event-loop
 * count, listener options and one instance per event loop, that reads each webhook, authenticates
 * it with the hub's own {@link WebhookAuthenticator} against the same credentials, and answers 200.
 * No routing library, no parsing, no storage. Run as a child process by the benchmark:
 * {@code BareAuthServer <port> <eventLoops> [<database url>]}, tenants in
 * {@code BENCH_TENANTS=id:secret,...}.
 *
 * <p>With a database URL it is limit (c), the durable ingest floor: after authenticating, it does
 * what the hub's ingress does before it answers and nothing else (the provider adapter's parse,
 * the idempotency key, the kept headers, the hub's {@link InboxStore} group commit with the hub's
 * batch size and inserts in flight, one pool per event loop) and answers 200 after the commit.
 * Nothing is dispatched or applied: the most any hub that stores each webhook as an inbox row
 * can acknowledge on this machine.
 */
public final class BareAuthServer extends VerticleBase {

  static final String TENANTS_ENV = "BENCH_TENANTS";
  private static final String ACCEPTED = "{\"status\":\"accepted\",\"duplicate\":false}";

  private static final String DUPLICATE = "{\"status\":\"accepted\",\"duplicate\":true}";
  /** The hub's inbox batching, as the benchmark configures the hub (it always sets both). */
  static final String BATCH_MAX_ENV = HubConfig.INBOX_BATCH_MAX.name();
  static final String IN_FLIGHT_ENV = HubConfig.INBOX_IN_FLIGHT.name();

  private final int port;
  private final Map<String, WebhookAuthConfig> credentials;
  private final ProviderRegistry registry;
  private final String dbUrlOrNull;
  private final WebhookAuthenticator authenticator = new WebhookAuthenticator();
  private Pool pool;
  private InboxStore inbox;

  BareAuthServer(int port, Map<String, WebhookAuthConfig> credentials, ProviderRegistry registry, String dbUrlOrNull) {
    this.port = port;
    this.credentials = credentials;
    this.registry = registry;
    this.dbUrlOrNull = dbUrlOrNull;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int loops = Integer.parseInt(args[1]);
    String dbUrl = args.length > 2 ? args[2] : null;
    Map<String, WebhookAuthConfig> credentials = new HashMap<>();
    ProviderRegistry registry = ProviderRegistry.standard();
    for (String entry : System.getenv(TENANTS_ENV).split(",")) {
      String[] idAndSecret = entry.split(":", 2);
      for (String provider : Webhooks.PROVIDERS) {
        credentials.put(idAndSecret[0] + '/' + provider, Webhooks.effectiveAuth(registry, idAndSecret[1], provider));
      }
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    vertx.deployVerticle(() -> new BareAuthServer(port, credentials, registry, dbUrl), new DeploymentOptions().setInstances(loops))
        .await(30, TimeUnit.SECONDS);
    System.out.println((dbUrl == null ? "bare auth server" : "durable bare server") + " listening on " + port);
  }

  @Override
  public Future<?> start() {
    if (dbUrlOrNull != null) {
      int inFlight = Integer.parseInt(System.getenv(IN_FLIGHT_ENV));
      pool = Database.pool(vertx, dbUrlOrNull, inFlight);
      inbox = new InboxStore(pool, Integer.parseInt(System.getenv(BATCH_MAX_ENV)), inFlight);
    }
    return vertx.createHttpServer(new HttpServerOptions()
            .setHost("127.0.0.1").setPort(port).setCompressionSupported(false).setIdleTimeout(0))
        .requestHandler(this::handle)
        .listen();
  }

  private void handle(HttpServerRequest request) {
    String[] path = request.path().split("/");
    if (request.method() == HttpMethod.GET && request.path().equals("/health/live")) {
      request.response().end("{\"status\":\"UP\"}");
      return;
    }
    WebhookAuthConfig auth = path.length == 4 && path[1].equals("webhooks") ? credentials.get(path[2] + '/' + path[3]) : null;
    if (request.method() != HttpMethod.POST || auth == null) {
      request.response().setStatusCode(404).end();
      return;
    }
    request.body().onSuccess(body -> {
      Map<String, String> headers = new HashMap<>();
      request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
      Instant now = Instant.now();
      String remote = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
      RawWebhook raw = new RawWebhook(path[2], path[3], headers, body.getBytes(), remote, now);
      if (!authenticator.verify(auth, raw, now).ok()) {
        request.response().setStatusCode(401).end();
      } else if (inbox == null) {
        request.response().putHeader("content-type", "application/json").end(ACCEPTED);
      } else {
        store(request, auth, raw);
      }
    });
  }

  private void store(HttpServerRequest request, WebhookAuthConfig auth, RawWebhook raw) {
    ParsedWebhook parsed;
    try {
      parsed = registry.find(raw.provider()).orElseThrow().parse(raw);
    } catch (MalformedWebhookException e) {
      request.response().setStatusCode(400).end();
      return;
    }
    Map<String, String> kept = WebhookIngressHandler.keptHeaders(raw);
    inbox.append(new InboxStore.Entry(raw.tenantId(), raw.provider(), IdempotencyKeys.of(auth, raw, parsed), raw.receivedAt(),
            new JsonObject(new HashMap<>(kept)), raw.body()))
        .onComplete(ar -> {
          if (ar.failed()) {
            request.response().setStatusCode(503).end();
          } else {
            request.response().putHeader("content-type", "application/json")
                .end(ar.result().duplicate() ? DUPLICATE : ACCEPTED);
          }
        });
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
