package io.kychub.stream;

import io.kychub.model.ApiErrors;
import io.kychub.model.StatusChangedEvent;
import io.kychub.store.EventLog;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * One open {@code GET /v1/events} stream: subscribes to live events first, then learns where to
 * start, replays from the event log in pages and goes on live, all through a
 * {@link StreamSequencer}. Runs on the verticle's event loop only.
 *
 * <p>Memory is bounded by {@code maxQueued}: live events held back by the sequencer plus events
 * waiting for the socket. Beyond it, or when the socket stays full for {@link #STALL_LIMIT_MILLIS},
 * the client is cut off; it resumes with {@code Last-Event-ID}. The next replay page is read only
 * once the socket has taken the previous one, so a slow client never pulls the log into memory.
 */
final class EventStreamConnection implements Consumer<StatusChangedEvent> {

  /**
   * How long a gap may stay open before it is read from the database: live events from two nodes
   * often arrive slightly out of order, and waiting briefly spares one query per connection.
   */
  static final long GAP_GRACE_MILLIS = 200;

  /** How long the socket may refuse writes before the client counts as gone. */
  static final long STALL_LIMIT_MILLIS = 10_000;

  private static final int MAX_PAGE = 500;
  private static final int FLUSH_BYTES = 32 * 1024;

  private final Vertx vertx;
  private final EventLog log;
  private final EventFanout fanout;
  private final StreamScope scope;
  private final HttpServerResponse response;
  private final StreamMetrics metrics;
  private final int maxQueued;
  private final int pageSize;
  private final Consumer<EventStreamConnection> onClosed;
  private final StreamSequencer sequencer;
  private final SseFrames frames;
  private final ArrayDeque<StatusChangedEvent> outbox = new ArrayDeque<>();
  private boolean streaming;
  private boolean reading;
  private boolean closed;
  private long gapTimer = -1;
  private long stallTimer = -1;

  EventStreamConnection(Vertx vertx, EventLog log, EventFanout fanout, SseFrames frames, StreamScope scope,
      HttpServerResponse response, StreamMetrics metrics, int maxQueued, Consumer<EventStreamConnection> onClosed) {
    this.vertx = vertx;
    this.log = log;
    this.fanout = fanout;
    this.frames = frames;
    this.scope = scope;
    this.response = response;
    this.metrics = metrics;
    this.maxQueued = maxQueued;
    // Half the bound, so a page fits beside the live events buffered meanwhile.
    this.pageSize = Math.max(1, Math.min(MAX_PAGE, maxQueued / 2));
    this.onClosed = onClosed;
    this.sequencer = new StreamSequencer(scope.customerIdOrNull());
  }

  /**
   * Subscribes, then reads the tenant's last sequence: anything committed after that read is
   * published after the subscription, so it arrives live.
   *
   * @param requestedCursor the client's Last-Event-ID, or null to start with new events only
   */
  void start(Long requestedCursor, int retryMillis) {
    response.closeHandler(v -> close());
    response.exceptionHandler(e -> close());
    response.drainHandler(v -> onDrain());
    fanout.subscribe(scope.tenantId(), this);
    metrics.connectionOpened();
    log.lastSeq(scope.tenantId()).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed()) {
        close();
        ApiErrors.send(response, 503, "unavailable", "the event log cannot be read, retry later");
        return;
      }
      long lastCommitted = ar.result();
      // An id above the log's end cannot come from this tenant's log: start from its end.
      long cursor = requestedCursor == null ? lastCommitted : Math.min(requestedCursor, lastCommitted);
      response.setChunked(true)
          .putHeader("content-type", "text/event-stream; charset=utf-8")
          .putHeader("cache-control", "no-cache")
          .putHeader("x-accel-buffering", "no");
      response.write("retry: " + retryMillis + "\n\n");
      streaming = true;
      deliver(sequencer.start(cursor, lastCommitted));
      catchUp();
    });
  }

  /** A live event of this connection's tenant, from the fan-out. */
  @Override
  public void accept(StatusChangedEvent event) {
    if (closed) {
      return;
    }
    deliver(sequencer.offerLive(event));
    enforceBound();
    if (!closed && sequencer.behind() && !reading && gapTimer < 0) {
      gapTimer = vertx.setTimer(GAP_GRACE_MILLIS, id -> {
        gapTimer = -1;
        catchUp();
      });
    }
  }

  /**
   * The tenant's last committed sequence, checked on heartbeats: an event whose live message was
   * lost (its node died between commit and publish) reaches the client even if the tenant then
   * stays quiet.
   */
  void committedUpTo(long lastCommitted) {
    if (closed || !sequencer.started()) {
      return;
    }
    sequencer.learnCommitted(lastCommitted);
    catchUp();
  }

  String tenantId() {
    return scope.tenantId();
  }

  StreamScope scope() {
    return scope;
  }

  /** Keeps proxies from closing an idle stream, and notices a socket that stopped taking data. */
  void heartbeat() {
    if (!streaming || closed) {
      return;
    }
    if (response.writeQueueFull()) {
      armStallTimer();
    } else if (outbox.isEmpty()) {
      response.write(": hb\n\n");
    }
  }

  /** Ends the stream on shutdown; the client reconnects (elsewhere) with Last-Event-ID. */
  void shutdown() {
    if (closed) {
      return;
    }
    close();
    if (streaming) {
      response.end();
    } else {
      ApiErrors.send(response, 503, "unavailable", "shutting down, retry later");
    }
  }

  /** Releases everything; safe to call more than once. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    fanout.unsubscribe(scope.tenantId(), this);
    cancelTimers();
    outbox.clear();
    metrics.connectionClosed();
    onClosed.accept(this);
  }

  /** Reads the next page of the log while the sequencer is behind and the socket keeps up. */
  private void catchUp() {
    if (closed || reading || !sequencer.behind() || !outbox.isEmpty() || response.writeQueueFull()) {
      return;
    }
    if (gapTimer >= 0) {
      vertx.cancelTimer(gapTimer);
      gapTimer = -1;
    }
    reading = true;
    long target = sequencer.knownCommitted();
    log.after(scope.tenantId(), sequencer.position(), scope.customerIdOrNull(), pageSize).onComplete(ar -> {
      reading = false;
      if (closed) {
        return;
      }
      if (ar.failed()) {
        // Without the log there is no gap-free continuation: end, the client resumes by Last-Event-ID.
        shutdown();
        return;
      }
      List<StatusChangedEvent> page = ar.result();
      deliver(sequencer.acceptPage(page, page.size() == pageSize, target));
      enforceBound();
      catchUp();
    });
  }

  private void deliver(List<StatusChangedEvent> events) {
    if (events.isEmpty() || closed) {
      return;
    }
    outbox.addAll(events);
    flush();
  }

  private void flush() {
    while (!outbox.isEmpty() && !response.writeQueueFull()) {
      Buffer chunk = Buffer.buffer();
      int count = 0;
      while (!outbox.isEmpty() && chunk.length() < FLUSH_BYTES) {
        chunk.appendBuffer(frames.of(outbox.poll()));
        count++;
      }
      response.write(chunk);
      metrics.eventsSent(count);
    }
    if (response.writeQueueFull()) {
      armStallTimer();
    }
  }

  private void armStallTimer() {
    if (stallTimer < 0) {
      stallTimer = vertx.setTimer(STALL_LIMIT_MILLIS, id -> {
        stallTimer = -1;
        cutOff();
      });
    }
  }

  private void onDrain() {
    if (closed) {
      return;
    }
    if (stallTimer >= 0) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
    flush();
    catchUp();
  }

  private void enforceBound() {
    if (!closed && sequencer.buffered() + outbox.size() > maxQueued) {
      cutOff();
    }
  }

  private void cutOff() {
    if (closed) {
      return;
    }
    metrics.clientCutOff();
    close();
    // Closes the connection at once: ending politely would queue behind the data it does not read.
    response.reset();
  }

  private void cancelTimers() {
    if (gapTimer >= 0) {
      vertx.cancelTimer(gapTimer);
      gapTimer = -1;
    }
    if (stallTimer >= 0) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
  }

  static String frame(StatusChangedEvent event) {
    return "id: " + event.id() + "\nevent: " + StatusChangedEvent.TYPE + "\ndata: " + event.toJson().encode() + "\n\n";
  }
}
