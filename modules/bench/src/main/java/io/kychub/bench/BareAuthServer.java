package io.kychub.bench;

import io.kychub.model.RawWebhook;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.auth.WebhookAuthenticator;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
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
 * {@code BareAuthServer <port> <eventLoops>}, tenants in {@code BENCH_TENANTS=id:secret,...}.
 */
public final class BareAuthServer extends VerticleBase {

  static final String TENANTS_ENV = "BENCH_TENANTS";
  private static final String ACCEPTED = "{\"status\":\"accepted\",\"duplicate\":false}";

  private final int port;
  private final Map<String, WebhookAuthConfig> credentials;
  private final WebhookAuthenticator authenticator = new WebhookAuthenticator();

  BareAuthServer(int port, Map<String, WebhookAuthConfig> credentials) {
    this.port = port;
    this.credentials = credentials;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int loops = Integer.parseInt(args[1]);
    Map<String, WebhookAuthConfig> credentials = new HashMap<>();
    ProviderRegistry registry = ProviderRegistry.standard();
    for (String entry : System.getenv(TENANTS_ENV).split(",")) {
      String[] idAndSecret = entry.split(":", 2);
      for (String provider : Webhooks.PROVIDERS) {
        credentials.put(idAndSecret[0] + '/' + provider, Webhooks.effectiveAuth(registry, idAndSecret[1], provider));
      }
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    vertx.deployVerticle(() -> new BareAuthServer(port, credentials), new DeploymentOptions().setInstances(loops))
        .await(30, TimeUnit.SECONDS);
    System.out.println("bare auth server listening on " + port);
  }

  @Override
  public Future<?> start() {
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
      if (authenticator.verify(auth, raw, now).ok()) {
        request.response().putHeader("content-type", "application/json").end(ACCEPTED);
      } else {
        request.response().setStatusCode(401).end();
      }
    });
  }
}
