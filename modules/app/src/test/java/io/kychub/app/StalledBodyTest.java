package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the public listener that need no credential, over real sockets: bodies that are
 * declared large and never come, and keep-alive connections left idle. What the hub holds is read
 * from its own meters and from the JVM it runs in.
 */
class StalledBodyTest {

  private static final long BUDGET = 1024 * 1024;
  private static final int BODY_TIMEOUT_MILLIS = 1500;
  private static HubHarness hub;
  private static String apiKey;

  @BeforeAll
  static void start() throws Exception {
    hub = HubHarness.start(StalledBodyTest.class, Map.of(
        "KYC_REQUEST_BODY_TIMEOUT_MILLIS", BODY_TIMEOUT_MILLIS,
        "KYC_INGRESS_MAX_BUFFERED_BYTES", BUDGET,
        "KYC_HTTP_IDLE_SECONDS", 3,
        "KYC_SSE_HEARTBEAT_SECONDS", 1));
    apiKey = hub.tenantWithEverything("stall", "stall-secret-0123456789");
  }

  @AfterAll
  static void stop() throws Exception {
    hub.close();
  }

  @Test
  void stalledBodiesAreCutOffAndHoldNoMemory() throws Exception {
    int baselineConnections = hub.node.services().guards().listener().openConnections();
    long storedBefore = hub.count("SELECT count(*) FROM inbox");
    long baselineHeap = usedHeapAfterGc();
    // Each declares a body of 262,000 bytes (under the size limit), sends 2,000 of them, then nothing:
    // 1,000 of them would pin 262 MB if buffers were sized from the declared length.
    List<RawSocket> sockets = new ArrayList<>();
    String partial = "{\"externalUserId\":\"" + "x".repeat(3970) + "\"";
    for (int i = 0; i < 1000; i++) {
      sockets.add(new RawSocket(hub.node.publicPort()).send(RawSocket.webhookHead("stall", "p100", 262_000, "") + partial));
    }
    Thread.sleep(300);
    long heldWhileStalled = hub.node.services().guards().preAuthBudget().held();
    long heapWhileStalled = usedHeapAfterGc() - baselineHeap;
    assertThat(heldWhileStalled).as("unauthenticated bytes held while 1,000 bodies stall").isLessThanOrEqualTo(BUDGET);
    assertThat(heapWhileStalled).as("heap grown while 1,000 bodies of 262,000 declared bytes stall").isLessThan(64L << 20);

    Map<Integer, Integer> statuses = new HashMap<>();
    int closedByHub = 0;
    for (RawSocket socket : sockets) {
      RawSocket.Outcome outcome = socket.read(BODY_TIMEOUT_MILLIS + 5_000);
      statuses.merge(outcome.status(), 1, Integer::sum);
      closedByHub += outcome.closedByHub() ? 1 : 0;
      socket.close();
    }
    // Past the budget a body is refused at once (503); the others wait for the body timeout (408).
    assertThat(statuses.keySet()).containsOnly(408, 503);
    assertThat(statuses.get(408)).isGreaterThan(100);
    assertThat(statuses.get(503)).isGreaterThan(100);
    assertThat(closedByHub).as("connections the hub closed").isEqualTo(1000);
    assertThat(hub.node.services().guards().preAuthBudget().held()).isZero();
    awaitOpenConnections(baselineConnections);
    assertThat(hub.count("SELECT count(*) FROM inbox")).as("nothing of the stalled bodies stored").isEqualTo(storedBefore);
    assertThat(hub.node.services().guards().listener().bodyTimeouts()).isGreaterThanOrEqualTo(statuses.get(408));
  }

  @Test
  void aBodyThatArrivesInTimeIsStillAccepted() throws Exception {
    String body = "{\"externalUserId\":\"in-time\",\"verificationStatus\":\"VERIFIED\"}";
    assertThat(hub.signedWebhook("stall", "p100", "stall-secret-0123456789", body).statusCode()).isEqualTo(200);
    assertThat(hub.node.services().guards().preAuthBudget().held()).isZero();
  }

  @Test
  void idleKeepAliveConnectionsAreClosedAndStreamsAreNot() throws Exception {
    try (RawSocket idle = new RawSocket(hub.node.publicPort());
         SseClient stream = hub.sse(apiKey, "", null)) {
      idle.send("GET /health/live HTTP/1.1\r\nHost: hub\r\n\r\n");
      long sent = System.nanoTime();
      RawSocket.Outcome outcome = idle.read(8_000);
      long closedAfterMillis = (System.nanoTime() - sent) / 1_000_000;
      assertThat(outcome.status()).isEqualTo(200);
      assertThat(outcome.closedByHub()).as("idle keep-alive connection closed by the hub").isTrue();
      assertThat(closedAfterMillis).isBetween(2_500L, 7_000L);
      // The stream, open as long, lives on: its heartbeats keep it from being idle.
      assertThat(stream.status).isEqualTo(200);
      assertThat(stream.ended).isFalse();
      assertThat(stream.comments).isNotEmpty();
    }
  }

  private static void awaitOpenConnections(int atMost) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (hub.node.services().guards().listener().openConnections() > atMost && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(hub.node.services().guards().listener().openConnections()).isLessThanOrEqualTo(atMost);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
