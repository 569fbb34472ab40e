package io.kychub.clusterit;

import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.auth.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Providers sending a steady, bounded stream of signed webhooks, round-robin over the nodes. Like a
 * provider behind a load balancer it retries what was not answered 2xx: at once on the next node
 * when the connection is refused, after a short pause otherwise. Every attempt is recorded with
 * its send and answer times, so the test can tell what was answered while the database was down.
 */
final class WebhookDriver implements AutoCloseable {

  /**
   * One webhook: always sent with the same bytes and headers, so a retry is the same delivery.
   * First sent {@code atMillis} after the start, to node {@code node} (an index into the ports).
   */
  record Delivery(int n, String tenant, String provider, String customer, byte[] body, Map<String, String> headers,
      long atMillis, int node) {
    String path() {
      return "/webhooks/" + tenant + "/" + provider;
    }
  }

  /** One HTTP exchange: {@code status} is the answer, or {@link LoopbackHttp#REFUSED} / {@link LoopbackHttp#BROKEN}. */
  record Attempt(int delivery, int port, long startNanos, long endNanos, int status, boolean duplicate) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  static final long RETRY_PAUSE_MILLIS = 500;
  static final int MAX_TRIES = 100;

  final Queue<Attempt> attempts = new ConcurrentLinkedQueue<>();
  final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
  final Set<Integer> givenUp = ConcurrentHashMap.newKeySet();
  private final List<Delivery> deliveries;
  private final int[] ports;
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService senders = Executors.newFixedThreadPool(48);
  private final CountDownLatch settled;

  WebhookDriver(List<Delivery> deliveries, int... ports) {
    this.deliveries = deliveries;
    this.ports = ports.clone();
    this.settled = new CountDownLatch(deliveries.size());
  }

  /** A provider's webhook with its default authentication scheme, signed with {@code secret}. */
  static Map<String, String> signed(String provider, String secret, byte[] body) {
    WebhookAuthConfig auth = new WebhookAuthConfig(null, List.of(), null, null, null, null, null, List.of(), null)
        .withDefaults(ProviderRegistry.standard().find(provider).orElseThrow().defaultAuth());
    Map<String, String> headers = new LinkedHashMap<>(WebhookSigner.sign(auth, secret, body, Instant.now(),
        "msg_" + UUID.randomUUID()));
    headers.put("Content-Type", "application/json");
    return headers;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Sends each delivery at its time to its node, calling {@code onRelease} first (the test's phase
   * changes hang off it), then waits until every delivery was acknowledged or given up, or the
   * deadline passes. Returns whether all settled.
   */
  boolean run(IntConsumer onRelease, long deadlineMillis) throws InterruptedException {
    for (Delivery d : deliveries) {
      pacer.schedule(() -> {
        onRelease.accept(d.n());
        senders.execute(() -> attempt(d, 1, d.node()));
      }, d.atMillis(), TimeUnit.MILLISECONDS);
    }
    return settled.await(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  private void attempt(Delivery d, int tries, int target) {
    long start = System.nanoTime();
    LoopbackHttp.Response r = LoopbackHttp.post(ports[target], d.path(), d.headers(), d.body());
    long end = System.nanoTime();
    attempts.add(new Attempt(d.n(), ports[target], start, end, r.status(), r.ok() && r.body().contains("\"duplicate\":true")));
    if (r.ok()) {
      acknowledged.add(d.n());
      settled.countDown();
      return;
    }
    if (tries >= MAX_TRIES) {
      givenUp.add(d.n());
      settled.countDown();
      return;
    }
    int next = (target + 1) % ports.length;
    if (r.status() == LoopbackHttp.REFUSED) {
      senders.execute(() -> attempt(d, tries + 1, next));
    } else {
      pacer.schedule(() -> senders.execute(() -> attempt(d, tries + 1, next)), RETRY_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Answers by status code (refused = -1, broken = -2). */
  Map<Integer, Long> statusCounts() {
    Map<Integer, Long> counts = new TreeMap<>();
    attempts.forEach(a -> counts.merge(a.status(), 1L, Long::sum));
    return counts;
  }

  @Override
  public void close() {
    pacer.shutdownNow();
    senders.shutdownNow();
  }
}
