package io.kychub.clusterit;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An operator's client app on {@code GET /v1/events}, behaving as a browser's EventSource behind a
 * load balancer: it stays on its home node while that node answers, moves to the next node when
 * the connection is refused, and after any disconnection waits the server's {@code retry:} time
 * and resumes with {@code Last-Event-ID}. It records every event it is handed, in order.
 */
final class SseListener implements AutoCloseable {

  /** One received event: the SSE id and the customer its data names. */
  record Received(long id, String customerId) {}

  final String name;
  final List<Received> received = new CopyOnWriteArrayList<>();
  /** One line per connection attempt: node port, the Last-Event-ID sent, the outcome. */
  final List<String> connections = new CopyOnWriteArrayList<>();
  private final String apiKey;
  private final int[] ports;
  private final Thread thread;
  private volatile int current;
  private volatile long lastEventId;
  private volatile long retryMillis = 1000;
  private volatile boolean stopped;
  private volatile Socket socket;

  /** {@code ports}: the home node first, then the nodes to move to in order. */
  SseListener(String name, String apiKey, int... ports) {
    this.name = name;
    this.apiKey = apiKey;
    this.ports = ports.clone();
    this.thread = new Thread(this::run, "sse-" + name);
    this.thread.setDaemon(true);
  }

  SseListener start() {
    thread.start();
    return this;
  }

  /** The tenant, from the name {@code tenant@node}. */
  String tenant() {
    return name.substring(0, name.indexOf('@'));
  }

  long lastEventId() {
    return lastEventId;
  }

  int homePort() {
    return ports[0];
  }

  /** Connections made to a node other than the home node. */
  long failovers() {
    return connections.stream().filter(c -> c.endsWith("streaming") && !c.startsWith(ports[0] + " ")).count();
  }

  private void run() {
    while (!stopped) {
      int port = ports[current];
      String outcome = stream(port);
      connections.add(port + " Last-Event-ID=" + lastEventId + " " + outcome);
      if (stopped) {
        return;
      }
      if (outcome.equals("refused")) {
        // The node is gone: the load balancer sends us to the next one at once.
        current = (current + 1) % ports.length;
        continue;
      }
      sleep(retryMillis);
    }
  }

  /** One connection; returns how it ended. Events are recorded as they arrive. */
  private String stream(int port) {
    long resumeFrom = lastEventId;
    try (Socket s = new Socket()) {
      socket = s;
      try {
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      } catch (ConnectException e) {
        return "refused";
      }
      // Heartbeats come every 2 s: a silent socket for this long is a dead one.
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(LoopbackHttp.requestHead("GET", "/v1/events", Map.of("Authorization", "Bearer " + apiKey,
          "Accept", "text/event-stream", "Last-Event-ID", Long.toString(resumeFrom)), -1, port)
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      LoopbackHttp.ResponseHead head = LoopbackHttp.ResponseHead.read(in);
      if (head == null) {
        return "closed before answering";
      }
      if (head.status() != 200) {
        return "status " + head.status();
      }
      connections.add(port + " Last-Event-ID=" + resumeFrom + " streaming");
      readEvents(head.chunked() ? new LoopbackHttp.ChunkedInputStream(in) : in);
      return "ended";
    } catch (IOException e) {
      return stopped ? "stopped" : "broken: " + e.getMessage();
    } finally {
      socket = null;
    }
  }

  private void readEvents(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    List<String> frame = new ArrayList<>();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) > 0) {
      for (int i = 0; i < n; i++) {
        if (buffer[i] != '\n') {
          line.write(buffer[i]);
          continue;
        }
        String complete = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (complete.isEmpty()) {
          onFrame(frame);
          frame.clear();
        } else {
          frame.add(complete);
        }
      }
    }
  }

  private void onFrame(List<String> lines) {
    String id = null;
    String data = null;
    for (String l : lines) {
      if (l.startsWith("id:")) {
        id = l.substring(3).trim();
      } else if (l.startsWith("data:")) {
        data = l.substring(5).trim();
      } else if (l.startsWith("retry:")) {
        retryMillis = Long.parseLong(l.substring(6).trim());
      }
    }
    if (id != null && data != null) {
      long seq = Long.parseLong(id);
      received.add(new Received(seq, new JsonObject(data).getString("customerId")));
      lastEventId = seq;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws Exception {
    stopped = true;
    Socket s = socket;
    if (s != null) {
      s.close();
    }
    thread.interrupt();
    thread.join(5_000);
  }
}
