package io.kychub.stream;

import io.kychub.model.ApiErrors;
import io.kychub.model.ApiFailure;
import io.kychub.model.HubConfig;
import io.kychub.store.EventLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The public HTTP verticle in miniature: one instance, the handler mounted, port 0. */
final class StreamTestVerticle extends VerticleBase {

  /** Counts what the handler reports. */
  static final class CountingMetrics implements StreamMetrics {
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger cutOff = new AtomicInteger();
    final AtomicInteger sent = new AtomicInteger();

    @Override
    public void connectionOpened() {
      opened.incrementAndGet();
    }

    @Override
    public void connectionClosed() {
      closed.incrementAndGet();
    }

    @Override
    public void clientCutOff() {
      cutOff.incrementAndGet();
    }

    @Override
    public void eventsSent(int count) {
      sent.addAndGet(count);
    }
  }

  /**
   * {@code Bearer key-<tenant>[~<anything>]} grants that tenant; {@code ?customerId=} narrows it to one
   * customer. A key holds until it is added to {@link #REVOKED}.
   */
  static final Set<String> REVOKED = ConcurrentHashMap.newKeySet();

  static final StreamAccess FAKE_ACCESS = new StreamAccess() {
    @Override
    public Future<StreamScope> resolve(HttpServerRequest request) {
      String authorization = request.getHeader("authorization");
      if (authorization == null || !authorization.startsWith("Bearer key-")) {
        return Future.failedFuture(new StreamAccessDenied("no valid key"));
      }
      String key = authorization.substring("Bearer ".length());
      String tenantId = key.substring("key-".length()).split("~", 2)[0];
      return Future.succeededFuture(new StreamScope(tenantId, request.getParam("customerId"),
          new StreamScope.Credential(StreamScope.Kind.API_KEY, key, null)));
    }

    @Override
    public boolean holds(StreamScope scope, Instant now) {
      return !REVOKED.contains(scope.credential().id());
    }
  };

  private final Pool pool;
  private final HubConfig config;
  final CountingMetrics metrics = new CountingMetrics();
  volatile EventStreamHandler handler;
  private HttpServer server;

  StreamTestVerticle(Pool pool, HubConfig config) {
    this.pool = pool;
    this.config = config;
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    handler = new EventStreamHandler(vertx, new EventLog(pool), FAKE_ACCESS, config.stream(), new StreamQuota(config.stream()),
        metrics);
    Router router = Router.router(vertx);
    router.get("/v1/events").handler(handler);
    // As the public listener's failure handler answers typed failures.
    router.route().failureHandler(ctx -> {
      if (ctx.failure() instanceof ApiFailure f) {
        ApiErrors.send(ctx.response(), f.status(), f.code(), f.getMessage());
      } else {
        ApiErrors.send(ctx.response(), 503, "unavailable", "unavailable");
      }
    });
    server = vertx.createHttpServer().requestHandler(router);
    return handler.ready().compose(v -> server.listen(0, "127.0.0.1"));
  }

  @Override
  public Future<?> stop() {
    return handler.close().compose(v -> server.shutdown(1, TimeUnit.SECONDS));
  }
}
