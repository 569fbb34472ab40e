package io.kychub.simulator;

import io.kychub.model.RawWebhook;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in hub: records every {@code POST /webhooks/{tenant}/{provider}} as it arrived and answers a set status. */
final class HubReceiver {

  private final List<RawWebhook> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile int answer = 200;

  private HubReceiver(HttpServer server) {
    this.server = server;
  }

  static HubReceiver start(Vertx vertx) {
    HubReceiver[] self = new HubReceiver[1];
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      String[] path = request.path().split("/");
      Map<String, String> headers = new HashMap<>();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
      if (path.length == 4 && path[1].equals("webhooks")) {
        self[0].received.add(new RawWebhook(path[2], path[3], headers, body.getBytes(),
            request.remoteAddress().hostAddress(), Instant.now()));
      }
      request.response().setStatusCode(self[0].answer).end();
    }));
    self[0] = new HubReceiver(server);
    Await.result(server.listen(0, "127.0.0.1"));
    return self[0];
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  List<RawWebhook> received() {
    return List.copyOf(received);
  }

  RawWebhook last() {
    return received.get(received.size() - 1);
  }

  void answer(int status) {
    answer = status;
  }

  void reset() {
    received.clear();
    answer = 200;
  }
}
