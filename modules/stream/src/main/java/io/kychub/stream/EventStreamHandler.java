package io.kychub.stream;

import io.kychub.model.ApiFailure;
import io.kychub.model.HubConfig;
import io.kychub.store.EventLog;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/events}: a tenant's (or one customer's) status changes as server-sent events,
 * resuming after {@code Last-Event-ID} (header, else {@code ?lastEventId=}) with no gap and no
 * duplicate, or starting with new events when neither is given.
 *
 * <p>Per connection:
 * <ol>
 *   <li>subscribe to the tenant's live events in the instance's {@link EventFanout} (buffered);
 *   <li>read the tenant's last sequence; the cursor is Last-Event-ID (capped at it) or, without
 *       one, that sequence itself. Anything committed later is published after step 1, so it
 *       arrives live;
 *   <li>read the log after the cursor in pages until caught up, writing each page only once the
 *       socket has taken the previous one;
 *   <li>live: write an event when it is the tenant's next id, drop ids already passed, and when an
 *       id is skipped (out-of-order delivery or a lost message) wait {@value
 *       EventStreamConnection#GAP_GRACE_MILLIS} ms for it, then read the gap from the log. With a
 *       customer filter the position still advances over the other customers' live events.
 * </ol>
 * The ordering rules are plain code in {@link StreamSequencer}; the I/O and the memory bound
 * ({@code sseMaxQueuedEvents}, then cut off) are in {@link EventStreamConnection}.
 *
 * <p>One instance per instance of the public HTTP verticle, created in its {@code start()} (so
 * the fan-out's consumer, the heartbeat timer and the requests share one event loop); await
 * {@link #ready()} before listening and call {@link #close()} from its {@code stop()}.
 */
public final class EventStreamHandler implements Handler<RoutingContext> {

  private static final Pattern SEQUENCE = Pattern.compile("[0-9]{1,18}");
  /**
   * How often every open stream's credential is checked (in memory): a revoked key, a disabled
   * tenant or an expired client secret ends its streams within this plus the time the change takes
   * to reach the node.
   */
  static final long CREDENTIAL_CHECK_MILLIS = 1_000;

  private final Vertx vertx;
  private final EventLog log;
  private final StreamAccess access;
  private final StreamMetrics metrics;
  private final int retryMillis;
  private final int maxQueuedEvents;
  private final EventFanout fanout;
  private final StreamQuota quota;
  private final SseFrames frames = new SseFrames();
  private final Set<EventStreamConnection> open = new LinkedHashSet<>();
  private final long heartbeatTimer;
  private final long credentialTimer;
  private volatile int openCount;

  /** @param quota the node's caps on concurrent streams, shared by every instance of the listener */
  public EventStreamHandler(Vertx vertx, EventLog log, StreamAccess access, HubConfig.Stream config, StreamQuota quota,
      StreamMetrics metricsOrNoop) {
    this.vertx = vertx;
    this.log = log;
    this.access = access;
    this.quota = quota;
    this.metrics = metricsOrNoop == null ? StreamMetrics.NOOP : metricsOrNoop;
    this.retryMillis = config.retryMillis();
    this.maxQueuedEvents = config.maxQueuedEvents();
    this.fanout = new EventFanout(vertx);
    // One timer for all connections of this instance rather than one per connection.
    this.heartbeatTimer = vertx.setPeriodic(config.heartbeatSeconds() * 1000L, id -> heartbeat());
    this.credentialTimer = vertx.setPeriodic(CREDENTIAL_CHECK_MILLIS, id -> endStreamsWithoutCredential());
  }

  /** Completes once live events are subscribed on the event bus. */
  public Future<Void> ready() {
    return fanout.ready();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    access.resolve(request).onComplete(ar -> {
      // Failures are answered by the listener's failure handler, like every route's.
      if (ar.failed()) {
        ctx.fail(ar.cause() instanceof StreamAccessDenied
            ? ApiFailure.unauthorized("a valid API key or client secret is required") : ar.cause());
        return;
      }
      String lastEventId = lastEventId(request);
      if (lastEventId != null && !SEQUENCE.matcher(lastEventId).matches()) {
        ctx.fail(ApiFailure.badRequest("Last-Event-ID must be a non-negative integer"));
        return;
      }
      if (ctx.response().closed()) {
        return;
      }
      StreamScope scope = ar.result();
      if (!quota.tryAcquire(scope)) {
        metrics.streamRefused();
        ctx.fail(new ApiFailure(429, "too_many_streams", "too many open streams for this credential or tenant; close one first"));
        return;
      }
      EventStreamConnection connection = new EventStreamConnection(
          vertx, log, fanout, frames, scope, ctx.response(), metrics, maxQueuedEvents, this::forget);
      open.add(connection);
      openCount = open.size();
      connection.start(lastEventId == null ? null : Long.valueOf(lastEventId), retryMillis);
    });
  }

  /** Open streams of this instance (any thread may read it, e.g. a metrics gauge). */
  public int openConnections() {
    return openCount;
  }

  /** Ends every stream and stops listening; the clients reconnect with Last-Event-ID. */
  public Future<Void> close() {
    vertx.cancelTimer(heartbeatTimer);
    vertx.cancelTimer(credentialTimer);
    List.copyOf(open).forEach(EventStreamConnection::shutdown);
    return fanout.close();
  }

  private void heartbeat() {
    // A copy: a heartbeat may find a dead socket and close its connection.
    List<EventStreamConnection> connections = List.copyOf(open);
    connections.forEach(EventStreamConnection::heartbeat);
    // One read per tenant with open streams: catches events whose live message was lost.
    Map<String, List<EventStreamConnection>> byTenant = new HashMap<>();
    connections.forEach(c -> byTenant.computeIfAbsent(c.tenantId(), t -> new ArrayList<>()).add(c));
    byTenant.forEach((tenant, list) -> log.lastSeq(tenant)
        .onSuccess(last -> list.forEach(c -> c.committedUpTo(last))));
  }

  /** Ends the streams whose credential no longer holds; their clients reconnect and are refused. */
  private void endStreamsWithoutCredential() {
    Instant now = Instant.now();
    for (EventStreamConnection connection : List.copyOf(open)) {
      if (!access.holds(connection.scope(), now)) {
        metrics.streamEndedByCredential();
        connection.shutdown();
      }
    }
  }

  private void forget(EventStreamConnection connection) {
    if (open.remove(connection)) {
      quota.release(connection.scope());
    }
    openCount = open.size();
  }

  /** The header wins; the query parameter serves a first connection that cannot set headers. A blank id means none. */
  private static String lastEventId(HttpServerRequest request) {
    String id = request.getHeader("Last-Event-ID");
    if (id == null || id.isBlank()) {
      id = request.getParam("lastEventId");
    }
    return id == null || id.isBlank() ? null : id.trim();
  }
}
