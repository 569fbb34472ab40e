package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The public listener holds at most KYC_HTTP_MAX_CONNECTIONS connections; one more is closed at once. */
class ConnectionCapTest {

  private static final int CAP = 40;
  private static HubHarness hub;

  @BeforeAll
  static void start() throws Exception {
    hub = HubHarness.start(ConnectionCapTest.class, Map.of("KYC_HTTP_MAX_CONNECTIONS", CAP));
  }

  @AfterAll
  static void stop() throws Exception {
    hub.close();
  }

  @Test
  void connectionsPastTheCapAreClosedAtOnce() throws Exception {
    // The harness's own client may hold a connection or two: fill what is left, then ten more.
    List<RawSocket> held = new ArrayList<>();
    try {
      while (hub.node.services().guards().listener().openConnections() < CAP && held.size() < CAP + 10) {
        held.add(new RawSocket(hub.node.publicPort()));
        Thread.sleep(5);
      }
      assertThat(hub.node.services().guards().listener().openConnections()).as("idle sockets are counted").isEqualTo(CAP);
      List<RawSocket> extra = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        extra.add(new RawSocket(hub.node.publicPort()).send("GET /health/live HTTP/1.1\r\nHost: hub\r\n\r\n"));
      }
      for (RawSocket socket : extra) {
        RawSocket.Outcome outcome = socket.read(3_000);
        assertThat(outcome.closedByHub()).isTrue();
        assertThat(outcome.status()).as("no answer on a connection past the cap").isZero();
        socket.close();
      }
      assertThat(hub.node.services().guards().listener().refusedConnections()).isGreaterThanOrEqualTo(10);
      assertThat(hub.node.services().guards().listener().openConnections()).isEqualTo(CAP);
    } finally {
      for (RawSocket socket : held) {
        socket.close();
      }
    }
    // With the held connections gone the listener serves again.
    long deadline = System.currentTimeMillis() + 5_000;
    while (hub.node.services().guards().listener().openConnections() > 2 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    try (RawSocket socket = new RawSocket(hub.node.publicPort())) {
      assertThat(socket.send("GET /health/live HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n").read(3_000).status())
          .isEqualTo(200);
    }
  }
}
