package io.kychub.app;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A test SSE client: reads {@code text/event-stream} frames into a list. */
final class SseClient implements AutoCloseable {

  /** One received event. */
  record Event(String id, String type, JsonObject data) {}

  final int status;
  final String contentType;
  final List<Event> events = new CopyOnWriteArrayList<>();
  final List<String> comments = new CopyOnWriteArrayList<>();
  volatile String retry;
  volatile boolean ended;
  private final HttpClient client;
  private final StringBuilder pending = new StringBuilder();
  private final Buffer errorBody = Buffer.buffer();

  private SseClient(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.status = response.statusCode();
    this.contentType = response.getHeader("content-type");
    response.handler(chunk -> {
      if (status == 200) {
        onChunk(chunk.toString());
      } else {
        errorBody.appendBuffer(chunk);
      }
    });
    response.endHandler(v -> ended = true);
    response.exceptionHandler(e -> ended = true);
  }

  static SseClient connect(Vertx vertx, int port, String path, String apiKey, String lastEventId) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI(path);
    if (apiKey != null) {
      options.putHeader("Authorization", "Bearer " + apiKey);
    }
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    // Paused on the event loop as it arrives, so no chunk passes before the handlers are set.
    HttpClientResponse response = client.request(options).compose(req -> req.send()).map(r -> r.pause())
        .await(10, TimeUnit.SECONDS);
    SseClient sse = new SseClient(client, response);
    response.resume();
    return sse;
  }

  private synchronized void onChunk(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String frame = pending.substring(0, end);
      pending.delete(0, end + 2);
      String id = null;
      String type = null;
      StringBuilder data = new StringBuilder();
      for (String line : frame.split("\n")) {
        if (line.startsWith(":")) {
          comments.add(line);
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          type = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        } else if (line.startsWith("retry:")) {
          retry = line.substring(6).trim();
        }
      }
      if (data.length() > 0) {
        events.add(new Event(id, type, new JsonObject(data.toString())));
      }
    }
  }

  /** The body of an answer that was not a stream, once it has fully arrived (up to 5 s). */
  String errorBody() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (!ended && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    return errorBody.toString();
  }

  /** Waits until at least {@code n} events arrived, failing with what did arrive. */
  List<Event> await(int n, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (events.size() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    if (events.size() < n) {
      throw new AssertionError("expected " + n + " events, got " + events.size() + ": " + events);
    }
    return List.copyOf(events);
  }

  @Override
  public void close() throws Exception {
    client.close().await(5, TimeUnit.SECONDS);
  }
}
