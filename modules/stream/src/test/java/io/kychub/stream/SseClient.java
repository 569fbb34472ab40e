package io.kychub.stream;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Reads one {@code text/event-stream} response in a test, with its own HTTP client. */
final class SseClient implements AutoCloseable {

  /** One event block of the stream. */
  record Frame(long id, String event, String data) {}

  private final HttpClient client;
  private final StringBuilder text = new StringBuilder();
  private HttpClientResponse response;
  private volatile boolean ended;

  private SseClient(Vertx vertx) {
    this.client = vertx.createHttpClient();
  }

  /** Opens the stream and waits for the response head; the body is recorded from its first byte. */
  static SseClient open(Vertx vertx, int port, String uri, String apiKey, String lastEventIdHeader) {
    SseClient sse = new SseClient(vertx);
    sse.response = Await.result(sse.client.request(HttpMethod.GET, port, "127.0.0.1", uri)
        .compose(request -> {
          if (apiKey != null) {
            request.putHeader("authorization", "Bearer " + apiKey);
          }
          if (lastEventIdHeader != null) {
            request.putHeader("last-event-id", lastEventIdHeader);
          }
          return request.send();
        })
        .map(response -> {
          response.handler(chunk -> sse.append(chunk.toString()));
          response.endHandler(v -> sse.ended = true);
          response.exceptionHandler(e -> sse.ended = true);
          response.request().connection().closeHandler(v -> sse.ended = true);
          return response;
        }));
    return sse;
  }

  /** The whole body of an answer that is not a stream (an error). */
  JsonObject jsonBody() {
    awaitEnded();
    return new JsonObject(text());
  }

  int status() {
    return response.statusCode();
  }

  MultiMap headers() {
    return response.headers();
  }

  /** Stops reading from the socket, like a client that hangs. */
  void pause() {
    response.pause();
  }

  /** Reads again; a paused client notices the server closed the connection only then. */
  void resume() {
    response.resume();
  }

  synchronized String text() {
    return text.toString();
  }

  /** Every complete event block received so far, comments and the retry hint left out. */
  List<Frame> events() {
    List<Frame> frames = new ArrayList<>();
    for (String block : completeBlocks()) {
      Long id = null;
      String event = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("id: ")) {
          id = Long.parseLong(line.substring(4));
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (id != null || event != null || data != null) {
        frames.add(new Frame(id == null ? -1 : id, event, data));
      }
    }
    return frames;
  }

  List<Long> ids() {
    return events().stream().map(Frame::id).toList();
  }

  List<String> comments() {
    return completeBlocks().stream().filter(block -> block.startsWith(":")).toList();
  }

  List<Long> awaitEvents(int count) {
    awaitTrue(() -> events().size() >= count, "at least " + count + " events");
    return ids();
  }

  void awaitEnded() {
    awaitTrue(() -> ended, "the stream to end");
  }

  static void awaitTrue(BooleanSupplier condition, String what) {
    awaitTrue(condition, what, Duration.ofSeconds(10));
  }

  static void awaitTrue(BooleanSupplier condition, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  @Override
  public void close() {
    Await.result(client.close());
  }

  private synchronized void append(String chunk) {
    text.append(chunk);
  }

  private List<String> completeBlocks() {
    String all = text();
    int end = all.lastIndexOf("\n\n");
    if (end < 0) {
      return List.of();
    }
    List<String> blocks = new ArrayList<>();
    for (String block : all.substring(0, end).split("\n\n")) {
      if (!block.isEmpty()) {
        blocks.add(block);
      }
    }
    return blocks;
  }
}
