package io.kychub.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Many {@code GET /v1/events} streams, spread over the event loops, each reading frames cheaply:
 * the {@code id:} line and the {@code customerId} of the data, nothing else is parsed. Every
 * stream checks that the ids it receives follow on one from the other (no gap, no duplicate).
 */
final class SseClients implements AutoCloseable {

  /** Called on an event loop for every event any stream receives. */
  @FunctionalInterface
  interface EventSink {
    void onEvent(String customerId, long receivedNanos);
  }

  /**
   * One open stream and what it has seen: {@code received} counts the events about customers
   * whose id starts with {@code counted}, {@code outOfSequence} checks every event. Fields are
   * written by its event loop only.
   */
  static final class Stream {
    final String tenantId;
    final String counted;
    volatile boolean ready;
    volatile boolean ended;
    volatile long received;
    volatile long outOfSequence;
    private long lastId = -1;
    private final StringBuilder pending = new StringBuilder();

    Stream(String tenantId, String counted) {
      this.tenantId = tenantId;
      this.counted = counted;
    }
  }

  private static final String CUSTOMER_FIELD = "\"customerId\":\"";
  private static final int OPEN_BATCH = 250;

  private final Vertx vertx;
  private final List<Opener> openers = new ArrayList<>();
  private final String deployment;
  private final List<Stream> streams = new ArrayList<>();

  SseClients(Vertx vertx, int port, int maxStreams, int workerCount) throws Exception {
    this.vertx = vertx;
    int perWorker = maxStreams / workerCount + 1;
    this.deployment = vertx.deployVerticle(() -> {
      Opener opener = new Opener(port, perWorker);
      synchronized (openers) {
        openers.add(opener);
      }
      return opener;
    }, new DeploymentOptions().setInstances(workerCount)).await(30, TimeUnit.SECONDS);
  }

  /**
   * Opens {@code count} streams of a tenant, {@value #OPEN_BATCH} at a time, each ready once the
   * hub has written its first bytes (the {@code retry:} hint, sent after it found where to start).
   */
  List<Stream> open(String tenantId, String apiKey, String counted, int count, EventSink sink, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    List<Stream> opened = new ArrayList<>();
    for (int i = 0; i < count; i += OPEN_BATCH) {
      List<Future<Stream>> batch = new ArrayList<>();
      for (int j = i; j < Math.min(count, i + OPEN_BATCH); j++) {
        batch.add(openers.get((streams.size() + j) % openers.size()).open(tenantId, apiKey, counted, sink));
      }
      long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      Future.all(batch).await(left, TimeUnit.MILLISECONDS);
      batch.forEach(f -> opened.add(f.result()));
    }
    streams.addAll(opened);
    return opened;
  }

  @Override
  public void close() throws Exception {
    vertx.undeploy(deployment).await(30, TimeUnit.SECONDS);
  }

  /** Opens streams from its own event loop with its own connection pool. */
  private static final class Opener extends VerticleBase {
    private final int port;
    private final int maxConnections;
    private HttpClient client;

    Opener(int port, int maxConnections) {
      this.port = port;
      this.maxConnections = maxConnections;
    }

    @Override
    public Future<?> start() {
      client = vertx.createHttpClient(
          new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true).setIdleTimeout(0),
          new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1));
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      return client.close();
    }

    Future<Stream> open(String tenantId, String apiKey, String counted, EventSink sink) {
      Promise<Stream> ready = Promise.promise();
      context.runOnContext(v -> {
        Stream stream = new Stream(tenantId, counted);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI("/v1/events")
            .putHeader("authorization", "Bearer " + apiKey).putHeader("accept", "text/event-stream");
        client.request(options)
            .compose(request -> request.send())
            .onSuccess(response -> read(stream, response, sink, ready))
            .onFailure(ready::tryFail);
      });
      return ready.future();
    }

    private static void read(Stream stream, HttpClientResponse response, EventSink sink, Promise<Stream> ready) {
      if (response.statusCode() != 200) {
        ready.tryFail("GET /v1/events answered " + response.statusCode());
        return;
      }
      response.handler(chunk -> {
        if (!stream.ready) {
          stream.ready = true;
          ready.tryComplete(stream);
        }
        frames(stream, chunk, sink);
      });
      response.endHandler(v -> stream.ended = true);
      response.exceptionHandler(e -> {
        stream.ended = true;
        ready.tryFail(e);
      });
    }

    private static void frames(Stream stream, Buffer chunk, EventSink sink) {
      long now = System.nanoTime();
      StringBuilder text = stream.pending.append(chunk.toString(StandardCharsets.UTF_8));
      int start = 0;
      int end;
      while ((end = text.indexOf("\n\n", start)) >= 0) {
        if (startsAt(text, "id: ", start)) {
          int lineEnd = text.indexOf("\n", start);
          long id = Long.parseLong(text.substring(start + 4, lineEnd).trim());
          if (stream.lastId >= 0 && id != stream.lastId + 1) {
            stream.outOfSequence++;
          }
          stream.lastId = id;
          int c = text.indexOf(CUSTOMER_FIELD, lineEnd);
          if (c >= 0 && c < end) {
            int from = c + CUSTOMER_FIELD.length();
            String customer = text.substring(from, text.indexOf("\"", from));
            if (customer.startsWith(stream.counted)) {
              stream.received++;
            }
            sink.onEvent(customer, now);
          }
        }
        start = end + 2;
      }
      text.delete(0, start);
    }

    private static boolean startsAt(StringBuilder text, String prefix, int at) {
      if (text.length() < at + prefix.length()) {
        return false;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (text.charAt(at + i) != prefix.charAt(i)) {
          return false;
        }
      }
      return true;
    }
  }
}
