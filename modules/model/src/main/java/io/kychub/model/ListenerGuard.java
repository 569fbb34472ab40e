package io.kychub.model;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What any client may hold of one listener (public or admin), shared by every server instance of
 * it on the node: at most {@code maxConnections} open connections (one more is closed at once),
 * idle keep-alive connections closed after {@code idleSeconds} (an SSE stream writes heartbeats,
 * so it is never idle), and a request body that must have arrived {@code bodyTimeoutMillis} after
 * its head, else 408 and the connection is closed.
 */
public final class ListenerGuard {

  /** Bytes of a request line the listener reads (method, path, query, version). */
  static final int MAX_REQUEST_LINE = 8192;

  private final String name;
  private final int maxConnections;
  private final int idleSeconds;
  private final long bodyTimeoutMillis;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();

  public ListenerGuard(String name, HubConfig.Limits limits) {
    this(name, limits.maxConnections(), limits.idleSeconds(), limits.requestBodyTimeoutMillis());
  }

  public ListenerGuard(String name, int maxConnections, int idleSeconds, long bodyTimeoutMillis) {
    this.name = name;
    this.maxConnections = maxConnections;
    this.idleSeconds = idleSeconds;
    this.bodyTimeoutMillis = bodyTimeoutMillis;
  }

  /**
   * The listener's server options with the idle timeout set, and HTTP/1.x only: with cleartext
   * HTTP/2 on, a connection waits for its first bytes to tell the protocols apart before the
   * server sees it, so a client that connects and sends nothing would be neither counted nor timed.
   */
  public HttpServerOptions apply(HttpServerOptions options) {
    return options.setIdleTimeout(idleSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS).setHttp2ClearTextEnabled(false)
        // Long enough that an over-long id reaches the routes and is answered 400 naming the rule;
        // a longer request line is refused by the HTTP decoder (414).
        .setMaxInitialLineLength(MAX_REQUEST_LINE);
  }

  /** Counts the server's connections and closes each one past the cap as soon as it is accepted. */
  public HttpServer watch(HttpServer server) {
    return server.connectionHandler(connection -> {
      if (open.incrementAndGet() > maxConnections) {
        open.decrementAndGet();
        refused.incrementAndGet();
        connection.close();
        return;
      }
      connection.closeHandler(v -> open.decrementAndGet());
    });
  }

  /**
   * Starts the body clock of a request whose body is still to come: if it has not fully arrived in
   * time, answers 408 and closes the connection. Call it when the request's head has been read.
   */
  public void bodyDeadline(Vertx vertx, HttpServerRequest request) {
    if (request.isEnded()) {
      return;
    }
    long timer = vertx.setTimer(bodyTimeoutMillis, id -> {
      if (!request.isEnded()) {
        timedOut.incrementAndGet();
        request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        ApiErrors.send(request.response(), 408, "request_timeout",
            "the request body did not arrive within " + bodyTimeoutMillis + " ms")
            .onComplete(v -> request.connection().close());
      }
    });
    // Completes (or fails) when the body has arrived or the connection is gone.
    request.end().onComplete(v -> vertx.cancelTimer(timer));
  }

  public String name() {
    return name;
  }

  /** Connections open now. */
  public int openConnections() {
    return open.get();
  }

  /** Connections closed at once because the listener was at its cap. */
  public long refusedConnections() {
    return refused.get();
  }

  /** Requests answered 408 because their body did not arrive in time. */
  public long bodyTimeouts() {
    return timedOut.get();
  }

  /** Counts a 408 given by a handler that keeps its own body clock (the webhook path). */
  public void countBodyTimeout() {
    timedOut.incrementAndGet();
  }

  public long bodyTimeoutMillis() {
    return bodyTimeoutMillis;
  }
}
