package io.kychub.clusterit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.admin.AdminTokens;
import io.kychub.clusterit.HubCluster.Node;
import io.kychub.clusterit.WebhookDriver.Attempt;
import io.kychub.clusterit.WebhookDriver.Delivery;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Three real hub processes in one cluster, on a PostgreSQL this test owns. The promises of a
 * clustered deployment (spec sections 1, 2 and 7): admin changes reach every node's caches within
 * a second; under a steady stream of signed webhooks, one node killed with SIGKILL and the
 * database stopped and started again lose nothing the hub acknowledged and duplicate nothing,
 * in the database or on the SSE clients; and nothing is acknowledged while the database is down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterResilienceTest {

  static final int DELIVERIES = 1200;
  static final long INTERVAL_MILLIS = 25;
  static final int KILL_AT = 360;
  /** Deliveries sent to the victim all at once just before it is killed, so some are in flight when it dies. */
  static final int BURST = 40;
  static final int OUTAGE_AT = 720;
  static final long OUTAGE_MILLIS = 4000;
  static final String[] TENANTS = {"alpha", "beta"};
  static final String[] PROVIDERS = {"p100", "ripio"};

  private static Path work;
  private static OwnedPostgres pg;
  private static HubCluster cluster;
  private static String adminToken;
  private static long classStart;

  @BeforeAll
  static void startCluster() throws Exception {
    classStart = System.nanoTime();
    Vertx signer = Vertx.vertx();
    try {
      adminToken = AdminTokens.hs256(signer, HubCluster.JWT_SECRET, "cluster-it", Duration.ofHours(1));
    } finally {
      signer.close();
    }
    work = Path.of(System.getProperty("kyc.it.work", "target/cluster-it")).toAbsolutePath();
    Files.createDirectories(work);
    Path jar = Path.of(System.getProperty("kyc.hub.jar", "../app/target/kyc-hub.jar")).toAbsolutePath().normalize();
    pg = OwnedPostgres.start(work.resolve("pgdata"), work.resolve("postgres.log"), HubCluster.freePorts(1)[0]);
    cluster = HubCluster.plan(jar, work, pg.url(), 3);
    // The first node forms the cluster; the others then join it (no two lone starters to merge).
    cluster.start(cluster.node(1));
    cluster.awaitReady(cluster.node(1), 90_000);
    cluster.start(cluster.node(2));
    cluster.start(cluster.node(3));
    cluster.awaitReady(cluster.node(2), 90_000);
    cluster.awaitReady(cluster.node(3), 90_000);
    System.out.printf("cluster-it: 3 nodes ready in %.1f s (%s), logs in %s%n", seconds(classStart), cluster.nodes, work);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
      System.out.printf("cluster-it: total runtime %.1f s%n", seconds(classStart));
    }
  }

  @Test
  @Order(1)
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anEventAppliedOnOneNodeReachesSseClientsOnEveryNode() throws Exception {
    AdminClient admin = new AdminClient(cluster.node(1).adminPort, adminToken);
    admin.createTenant("relay");
    admin.putCredential("relay", "p100", "relay-token-0123456789");
    String apiKey = admin.createApiKey("relay");
    List<SseListener> listeners = new ArrayList<>();
    try {
      for (Node node : cluster.nodes) {
        listeners.add(new SseListener("relay@node" + node.index, apiKey, node.httpPort).start());
      }
      awaitStreaming(listeners);
      List<Long> latencies = new ArrayList<>();
      // One event at a time: with no later event to reveal a gap, only the clustered publish can bring it.
      for (Node through : cluster.nodes) {
        long sentAt = System.nanoTime();
        assertThat(p100(through, "relay", "r-" + through.index, "relay-token-0123456789").status()).isEqualTo(200);
        // Usually a few ms; the bound is loose so a busy build machine cannot fail it.
        long deadline = sentAt + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && listeners.stream().anyMatch(l -> l.lastEventId() < through.index)) {
          Thread.sleep(1);
        }
        for (SseListener l : listeners) {
          assertThat(l.received).as("%s after a webhook through %s", l.name, through)
              .extracting(SseListener.Received::customerId).endsWith("r-" + through.index);
        }
        latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt));
      }
      System.out.printf("cluster-it: one webhook through each node reached the SSE clients of all 3 nodes in %s ms%n",
          latencies);
    } finally {
      for (SseListener l : listeners) {
        l.close();
      }
    }
  }

  @Test
  @Order(2)
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void credentialAndTenantChangesReachEveryNodeWithinASecond() throws Exception {
    AdminClient admin = new AdminClient(cluster.node(1).adminPort, adminToken);
    admin.createTenant("gamma");
    admin.putCredential("gamma", "p100", "gamma-old-token-0123456789");
    AtomicLong customer = new AtomicLong();
    // Warm every node's caches: new connections take turns over each node's listener instances.
    for (Node node : cluster.nodes) {
      for (int i = 0; i < 8; i++) {
        assertThat(p100(node, "gamma", "g-" + customer.incrementAndGet(), "gamma-old-token-0123456789").status()).isEqualTo(200);
      }
    }

    // Rotated on another node than the one that created it: the change must travel.
    new AdminClient(cluster.node(2).adminPort, adminToken).putCredential("gamma", "p100", "gamma-new-token-0123456789");
    long rotatedAt = System.nanoTime();
    long lastOldAccepted = probeUntil(rotatedAt, 1500, node -> p100(node, "gamma", "g-" + customer.incrementAndGet(),
        "gamma-old-token-0123456789").status(), 200);
    for (Node node : cluster.nodes) {
      assertThat(p100(node, "gamma", "g-" + customer.incrementAndGet(), "gamma-new-token-0123456789").status())
          .as("new secret on %s", node).isEqualTo(200);
      assertThat(p100(node, "gamma", "g-" + customer.incrementAndGet(), "gamma-old-token-0123456789").status())
          .as("old secret on %s", node).isEqualTo(401);
    }

    new AdminClient(cluster.node(3).adminPort, adminToken).disableTenant("gamma");
    long disabledAt = System.nanoTime();
    long lastAcceptedWhileDisabled = probeUntil(disabledAt, 1500, node -> p100(node, "gamma",
        "g-" + customer.incrementAndGet(), "gamma-new-token-0123456789").status(), 200);
    for (Node node : cluster.nodes) {
      assertThat(p100(node, "gamma", "g-" + customer.incrementAndGet(), "gamma-new-token-0123456789").status())
          .as("disabled tenant on %s", node).isEqualTo(404);
    }

    System.out.printf("cluster-it: caches: old secret last accepted %s after the rotation, disabled tenant last accepted %s"
        + " after the change (cache time limit 30 s; %d probes over 3 nodes)%n",
        describe(lastOldAccepted), describe(lastAcceptedWhileDisabled), customer.get());
    assertThat(lastOldAccepted).as("ms after rotation the old secret was still accepted").isLessThan(1000);
    assertThat(lastAcceptedWhileDisabled).as("ms after disabling the tenant still accepted").isLessThan(1000);
  }

  @Test
  @Order(3)
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void noAcknowledgedWebhookIsLostOrDuplicatedWhenANodeDiesAndTheDatabaseRestarts() throws Exception {
    long testStart = System.nanoTime();
    AdminClient admin = new AdminClient(cluster.node(1).adminPort, adminToken);
    Map<String, String> apiKeys = new HashMap<>();
    for (String tenant : TENANTS) {
      admin.createTenant(tenant);
      for (String provider : PROVIDERS) {
        admin.putCredential(tenant, provider, secret(tenant, provider));
      }
      apiKeys.put(tenant, admin.createApiKey(tenant));
    }

    // One client app per tenant on every node; each moves to the next node should its own die.
    List<SseListener> listeners = new ArrayList<>();
    int n = cluster.nodes.size();
    for (String tenant : TENANTS) {
      for (int i = 0; i < n; i++) {
        int[] ports = new int[n];
        for (int k = 0; k < n; k++) {
          ports[k] = cluster.nodes.get((i + k) % n).httpPort;
        }
        listeners.add(new SseListener(tenant + "@node" + (i + 1), apiKeys.get(tenant), ports).start());
      }
    }
    awaitStreaming(listeners);

    Node victim = cluster.node(3);
    List<Node> survivors = List.of(cluster.node(1), cluster.node(2));
    Outage outage = new Outage();
    List<Thread> phases = new CopyOnWriteArrayList<>();
    List<Delivery> deliveries = deliveries();
    int[] ports = cluster.nodes.stream().mapToInt(node -> node.httpPort).toArray();
    boolean settled;
    try (WebhookDriver driver = new WebhookDriver(deliveries, ports)) {
      settled = driver.run(i -> {
        if (i == KILL_AT) {
          phases.add(startThread(() -> quietly(() -> {
            // Killed as soon as it acknowledged one of the burst: the rest are in flight, at any stage.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline && driver.attempts.stream()
                .noneMatch(a -> a.port() == victim.httpPort && a.ok() && a.delivery() >= KILL_AT)) {
              Thread.sleep(1);
            }
            cluster.kill(victim);
          })));
        } else if (i == OUTAGE_AT) {
          phases.add(startThread(() -> quietly(() -> outage.run(survivors))));
        }
      }, 150_000);
      for (Thread phase : phases) {
        phase.join(60_000);
      }
      long convergeStart = System.nanoTime();
      boolean converged = awaitConvergence(listeners, 60_000);
      double convergeSeconds = seconds(convergeStart);
      for (SseListener listener : listeners) {
        listener.close();
      }
      Report report = report(deliveries, driver, listeners, outage);
      System.out.println(report.text(victim, outage, settled, converged, convergeSeconds, seconds(testStart)));
      listeners.forEach(l -> System.out.println("  " + l.name + " connections: " + l.connections));

      assertThat(settled).as("every delivery acknowledged or given up in time").isTrue();
      assertThat(driver.givenUp).as("deliveries never acknowledged").isEmpty();
      assertThat(outage.happened).as("the outage happened").isTrue();
      assertThat(report.outageAnswers).as("answers while the database was down").isPositive();
      assertThat(report.outage2xx).as("2xx while the database was down").isZero();
      assertThat(report.outageNot503).as("answers other than 503 while the database was down").isZero();
      assertThat(outage.readyDuringOutage).as("/health/ready answers during the outage").isNotEmpty()
          .allSatisfy(status -> assertThat(status).isEqualTo(503));
      assertThat(outage.recoveredMillis).as("survivors ready again after the database came back").hasSize(2);
      assertThat(report.failovers).as("the dead node's clients resumed on a survivor").isGreaterThanOrEqualTo(TENANTS.length);
      assertThat(report.unapplied).as("stored deliveries never applied").isZero();
      assertThat(report.gapsInLog).as("gaps in the per-tenant event ids").isZero();
      assertThat(report.sseOutOfOrder).as("SSE events out of order").isZero();
      assertThat(report.sseWrongCustomer).as("SSE events that do not match the log").isZero();
      assertThat(report.lost()).as("lost").isZero();
      assertThat(report.duplicated()).as("duplicated").isZero();
      assertThat(converged).as("every client caught up with the log").isTrue();
    } finally {
      for (SseListener listener : listeners) {
        listener.close();
      }
    }
  }

  // --- the stream --------------------------------------------------------------------------------

  /**
   * One webhook per customer, each making exactly one status change: events per delivery must be
   * exactly 1. Round-robin over the nodes at a steady pace, except a burst to the victim at the
   * kill.
   */
  /**
   * A manual decision commits on a node that is SIGKILLed the moment it answers; the decision's
   * follow-up (here: revoking the reuses of the customer it rejects) still happens, exactly once,
   * on the surviving node, whether the dead node had run it or only claimed it.
   */
  @Test
  @Order(4)
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aDecisionsFollowUpHappensExactlyOnceWhenItsNodeDiesRightAfterTheCommit() throws Exception {
    Node survivor = cluster.node(1);
    Node victim = cluster.node(2);
    AdminClient admin = new AdminClient(survivor.adminPort, adminToken);
    admin.createTenant("door-src", new JsonObject().put("share", true));
    admin.createTenant("door-dst", new JsonObject().put("accept", true));
    String soveraSecret = "sovera-door-secret-0123456789";
    for (String tenant : List.of("door-src", "door-dst")) {
      admin.putCredential(tenant, "sovera", new JsonObject().put("enabled", true)
          .put("webhookAuth", new JsonObject().put("username", "sovera").put("secrets", new io.vertx.core.json.JsonArray()
              .add(soveraSecret)))
          .put("api", new JsonObject().put("kycUrl", "https://kyc.sovera.example/start?user={customerId}")));
    }
    String srcKey = admin.createApiKey("door-src");
    String dstKey = admin.createApiKey("door-dst");
    JsonObject claims = new JsonObject().put("documentCountry", "ES").put("documentNumber", "CLUSTER42")
        .put("dateOfBirth", "1979-05-04");
    assertThat(operator(survivor, srcKey, "PUT", "/v1/customers/src-1", claims).status()).isEqualTo(200);
    sovera(survivor, "door-src", "src-1", "verified", Instant.now(), soveraSecret);
    awaitStatus(survivor, srcKey, "src-1", "verified");
    assertThat(operator(survivor, dstKey, "PUT", "/v1/customers/dst-1", claims).status()).isEqualTo(200);
    LoopbackHttp.Response reused = operator(survivor, dstKey, "POST", "/v1/customers/dst-1/verifications",
        new JsonObject().put("provider", "sovera"));
    assertThat(reused.json().getString("decidedBy")).as(reused.body()).isEqualTo("reuse");
    sovera(survivor, "door-src", "src-1", "reviewNeeded", Instant.now().plusSeconds(1), soveraSecret);
    awaitStatus(survivor, srcKey, "src-1", "under_review");

    LoopbackHttp.Response decided = operator(victim, srcKey, "POST", "/v1/customers/src-1/kyc/decision",
        new JsonObject().put("verify", false).put("note", "forged document"));
    cluster.kill(victim);
    assertThat(decided.status()).as(decided.body()).isEqualTo(200);
    long killedAt = System.nanoTime();

    awaitStatus(survivor, dstKey, "dst-1", "expired");
    double seconds = seconds(killedAt);
    long expiredEvents = pg.count("SELECT count(*) FROM events WHERE tenant_id = 'door-dst' AND customer_id = 'dst-1' "
        + "AND payload->>'status' = 'expired'");
    Object[] followUp = pg.query("SELECT state, attempts FROM follow_ups WHERE tenant_id = 'door-src' AND customer_id = 'src-1' "
        + "AND kind = 'reuse.revoke'").get(0);
    System.out.printf("cluster-it: decision on %s, SIGKILLed at its answer; its reuse revocation done %.1f s later "
        + "(follow-up %s after %s attempts: %s), expired events of the reuse %d%n", victim, seconds, followUp[0], followUp[1],
        ((Number) followUp[1]).intValue() > 1 ? "taken over from the dead node" : "run once", expiredEvents);
    assertThat(followUp[0]).isEqualTo("done");
    assertThat(expiredEvents).as("the reuse revoked exactly once").isEqualTo(1);
    assertThat(pg.count("SELECT count(*) FROM events WHERE tenant_id = 'door-src' AND customer_id = 'src-1' "
        + "AND payload->>'decidedBy' = 'operator'")).as("the decision recorded once").isEqualTo(1);
  }

  /**
   * Operator webhooks while a delivering node is SIGKILLed: every event reaches the receiver at
   * least once, none is missing, and the receiver's deduplication by webhook-id leaves exactly one
   * of each.
   */
  @Test
  @Order(5)
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void operatorWebhooksLoseNothingWhenADeliveringNodeDies() throws Exception {
    // Nodes 2 and 3 died in the earlier tests: start them again.
    for (Node node : List.of(cluster.node(2), cluster.node(3))) {
      if (!node.alive()) {
        cluster.start(node);
      }
    }
    cluster.awaitReady(cluster.node(2), 90_000);
    cluster.awaitReady(cluster.node(3), 90_000);
    Node entry = cluster.node(1);
    Node victim = cluster.node(3);
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    AtomicLong requests = new AtomicLong();
    Vertx vertx = Vertx.vertx();
    try {
      // A receiver that takes 30 ms per answer, so deliveries are in flight when the node dies.
      io.vertx.core.http.HttpServer receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(b -> {
        requests.incrementAndGet();
        seen.merge(request.getHeader("webhook-id"), 1, Integer::sum);
        vertx.setTimer(30, t -> request.response().setStatusCode(204).end());
      })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      AdminClient admin = new AdminClient(entry.adminPort, adminToken);
      admin.createTenant("owh-it");
      String token = "owh-it-token-0123456789";
      admin.putCredential("owh-it", "p100", token);
      String apiKey = admin.createApiKey("owh-it");
      LoopbackHttp.Response endpoint = operator(entry, apiKey, "POST", "/v1/webhook-endpoints",
          new JsonObject().put("url", "http://127.0.0.1:" + receiver.actualPort() + "/kyc"));
      assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(201);
      int total = 400;
      long killedAt = 0;
      // The tenant reaches node 2's index a moment after node 1 answered the admin call.
      long known = System.currentTimeMillis() + 10_000;
      LoopbackHttp.Response first = p100(cluster.node(2), "owh-it", "w-0", token);
      while (first.status() == 404 && System.currentTimeMillis() < known) {
        Thread.sleep(50);
        first = p100(cluster.node(2), "owh-it", "w-0", token);
      }
      assertThat(first.status()).as(first.body()).isEqualTo(200);
      for (int i = 1; i < total; i++) {
        assertThat(p100(cluster.node(1 + i % 2), "owh-it", "w-" + i, token).status()).isEqualTo(200);
        if (i == total / 2) {
          cluster.kill(victim);
          killedAt = System.nanoTime();
        }
        if (i % 20 == 0) {
          Thread.sleep(20);
        }
      }
      long deadline = System.currentTimeMillis() + 90_000;
      long events = pg.count("SELECT count(*) FROM events WHERE tenant_id = 'owh-it'");
      while (events < total && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
        events = pg.count("SELECT count(*) FROM events WHERE tenant_id = 'owh-it'");
      }
      while (seen.size() < events && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      long duplicates = seen.values().stream().filter(n -> n > 1).count();
      long stillPending = pg.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = 'owh-it' AND state <> 'delivered'");
      System.out.printf("cluster-it: operator webhooks: %d events, %d delivered (unique webhook-ids), %d requests, "
          + "%d ids received more than once, %s SIGKILLed %.1f s before the last arrived, not delivered in the database %d%n",
          events, seen.size(), requests.get(), duplicates, victim, seconds(killedAt), stillPending);
      assertThat(events).as("one event per webhook").isEqualTo(total);
      assertThat(seen).as("every event reached the receiver").hasSize(total);
      assertThat(stillPending).isZero();
      // Repeats are only of attempts the dead node had in flight (at most its 256, its lease then runs out).
      assertThat(duplicates).isLessThanOrEqualTo(256);
      receiver.close().await(5, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static LoopbackHttp.Response operator(Node node, String apiKey, String method, String path, JsonObject body) {
    return LoopbackHttp.send(node.httpPort, method, path, Map.of("Authorization", "Bearer " + apiKey,
        "Content-Type", "application/json"), body == null ? null : body.encode());
  }

  private static void sovera(Node node, String tenant, String customer, String status, Instant at, String secret) {
    byte[] body = WebhookDriver.utf8(new JsonObject().put("metadata", new JsonObject().put("userId", customer))
        .put("status", status).put("description", "cluster-it").put("timeStamp", at.toString()).encode());
    String basic = java.util.Base64.getEncoder().encodeToString(("sovera:" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    LoopbackHttp.Response r = LoopbackHttp.post(node.httpPort, "/webhooks/" + tenant + "/sovera",
        Map.of("Authorization", "Basic " + basic, "Content-Type", "application/json"), body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static void awaitStatus(Node node, String apiKey, String customer, String status) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    String last = null;
    while (System.currentTimeMillis() < deadline) {
      LoopbackHttp.Response r = operator(node, apiKey, "GET", "/v1/customers/" + customer + "/kyc", null);
      last = r.body();
      if (r.status() == 200 && status.equals(r.json().getString("status"))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(customer + " never reached " + status + "; last " + last);
  }

  private static List<Delivery> deliveries() {
    List<Delivery> list = new ArrayList<>();
    int nodes = cluster.nodes.size();
    String at = Instant.now().toString();
    for (int i = 0; i < DELIVERIES; i++) {
      String tenant = TENANTS[i % TENANTS.length];
      String provider = PROVIDERS[(i / TENANTS.length) % PROVIDERS.length];
      String customer = "c-" + i;
      String body = provider.equals("p100")
          ? new JsonObject().put("externalUserId", customer).put("verificationStatus", "VERIFIED").encode()
          : new JsonObject().put("eventType", "KYC.COMPLETED").put("issueDatetime", at)
              .put("payload", new JsonObject().put("submissionId", "sub-" + customer).put("customerId", customer)
                  .put("createdAt", at).put("source", "API").put("metadata", new JsonObject()))
              .encode();
      byte[] bytes = WebhookDriver.utf8(body);
      boolean burst = i >= KILL_AT && i < KILL_AT + BURST;
      list.add(new Delivery(i, tenant, provider, customer, bytes, WebhookDriver.signed(provider, secret(tenant, provider), bytes),
          (burst ? KILL_AT : i) * INTERVAL_MILLIS, burst ? nodes - 1 : i % nodes));
    }
    return list;
  }

  private static String secret(String tenant, String provider) {
    return "whk-" + tenant + "-" + provider + "-0123456789abcdef";
  }

  /** PostgreSQL stopped for a few seconds while webhooks keep coming, then started again. */
  private final class Outage {
    volatile boolean happened;
    volatile long stoppedAt;
    volatile long restartAt;
    final List<Integer> readyDuringOutage = new CopyOnWriteArrayList<>();
    final Map<String, Long> recoveredMillis = new ConcurrentHashMap<>();

    void run(List<Node> nodes) throws Exception {
      try {
        pg.stop();
        stoppedAt = System.nanoTime();
        happened = true;
        long until = stoppedAt + TimeUnit.MILLISECONDS.toNanos(OUTAGE_MILLIS);
        // Readiness answers from a probe made every second: give it one probe to see the database gone.
        Thread.sleep(1_300);
        while (System.nanoTime() < until - TimeUnit.MILLISECONDS.toNanos(500)) {
          for (Node node : nodes) {
            int status = LoopbackHttp.get(node.httpPort, "/health/ready", Map.of()).status();
            if (System.nanoTime() < until) {
              readyDuringOutage.add(status);
            }
          }
          Thread.sleep(250);
        }
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
      } finally {
        restartAt = System.nanoTime();
        pg.restart();
      }
      for (Node node : nodes) {
        cluster.awaitReady(node, 60_000);
        recoveredMillis.put("node" + node.index, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartAt));
      }
    }
  }

  // --- checks ------------------------------------------------------------------------------------

  private static void awaitStreaming(List<SseListener> listeners) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline) {
      if (listeners.stream().allMatch(l -> l.connections.stream().anyMatch(c -> c.endsWith("streaming")))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("SSE clients not streaming: " + listeners.stream().map(l -> l.name + l.connections).toList());
  }

  /** Until nothing stored is unapplied and every client has the tenant's last event id. */
  private static boolean awaitConvergence(List<SseListener> listeners, long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      Map<String, Long> last = lastSeqs();
      long unapplied = pg.count("SELECT count(*) FROM inbox WHERE applied_at IS NULL AND tenant_id IN ('alpha', 'beta')");
      if (unapplied == 0 && listeners.stream().allMatch(l -> l.lastEventId() == last.get(l.tenant()))) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  private static Map<String, Long> lastSeqs() throws Exception {
    Map<String, Long> last = new HashMap<>();
    for (String tenant : TENANTS) {
      last.put(tenant, pg.count("SELECT coalesce(max(seq), 0) FROM events WHERE tenant_id = '" + tenant + "'"));
    }
    return last;
  }

  /** Everything counted from the driver's records, the database and the clients. */
  private static final class Report {
    int sent;
    int attempts;
    Map<Integer, Long> statuses;
    int acknowledged;
    long duplicateAnswers;
    int applied;
    int ackedLost;
    int dbDuplicated;
    long events;
    long unapplied;
    long inboxRows;
    long gapsInLog;
    long outageAnswers;
    long outage2xx;
    long outageNot503;
    long failovers;
    long sseMissing;
    long sseDuplicated;
    long sseOutOfOrder;
    long sseWrongCustomer;
    long sseDelivered;
    final List<String> perClient = new ArrayList<>();

    long redriven;
    long victimAcked;
    long victimAckedRedriven;
    Map<Integer, Long> burstFirstAnswers;

    long lost() {
      return ackedLost + sseMissing;
    }

    long duplicated() {
      return dbDuplicated + sseDuplicated;
    }

    String text(Node victim, Outage outage, boolean settled, boolean converged, double convergeSeconds, double runtime) {
      StringBuilder s = new StringBuilder();
      s.append(String.format("%ncluster-it: 3 nodes, %s SIGKILLed at delivery %d, PostgreSQL down %.1f s from delivery %d%n",
          victim, KILL_AT, (outage.restartAt - outage.stoppedAt) / 1e9, OUTAGE_AT));
      s.append(String.format("  webhooks: sent %d, attempts %d %s (-1 refused, -2 broken), acknowledged %d (%d answered as"
          + " duplicates of a stored copy), settled %s%n", sent, attempts, statuses, acknowledged, duplicateAnswers, settled));
      s.append(String.format("  kill: the %d deliveries sent to %s at once, SIGKILLed right after its first 2xx, were first"
          + " answered %s; deliveries re-driven by a sweep (stored, not applied in time) %d, of the %d acknowledged by %s %d%n",
          BURST, victim, burstFirstAnswers, redriven, victimAcked, victim, victimAckedRedriven));
      s.append(String.format("  database: inbox rows %d, unapplied %d, applied %d of the acknowledged, events %d, gaps in"
          + " ids %d, customers with more than one event %d%n", inboxRows, unapplied, applied, events, gapsInLog, dbDuplicated));
      s.append(String.format("  outage: %d answers to webhooks sent after the stop and answered before the restart, 2xx among"
          + " them %d, other than 503 %d; /health/ready during it %s; ready again after %s ms%n",
          outageAnswers, outage2xx, outageNot503,
          outage.readyDuringOutage, outage.recoveredMillis));
      s.append(String.format("  sse: %d clients, delivered %d, missing %d, duplicated %d, out of order %d, not matching the"
          + " log %d, failovers to another node %d, converged %s in %.1f s%n", perClient.size(), sseDelivered, sseMissing,
          sseDuplicated, sseOutOfOrder, sseWrongCustomer, failovers, converged, convergeSeconds));
      perClient.forEach(c -> s.append("    ").append(c).append('\n'));
      s.append(String.format("  sent %d, acknowledged %d, applied %d, delivered %d, lost = %d, duplicated = %d (%.1f s)%n",
          sent, acknowledged, applied, sseDelivered, lost(), duplicated(), runtime));
      return s.toString();
    }
  }

  private static Report report(List<Delivery> deliveries, WebhookDriver driver, List<SseListener> listeners, Outage outage)
      throws Exception {
    Report r = new Report();
    r.sent = DELIVERIES;
    r.attempts = driver.attempts.size();
    r.statuses = driver.statusCounts();
    r.acknowledged = driver.acknowledged.size();
    r.duplicateAnswers = driver.attempts.stream().filter(Attempt::duplicate).count();
    for (Attempt a : driver.attempts) {
      // Sent once the server was down, answered before it was started again (nanoTime: compare differences).
      boolean duringOutage = outage.happened && a.startNanos() - outage.stoppedAt >= 0 && outage.restartAt - a.endNanos() >= 0;
      if (duringOutage && a.status() != LoopbackHttp.REFUSED) {
        r.outageAnswers++;
        if (a.ok()) {
          r.outage2xx++;
        }
        if (a.status() != 503) {
          r.outageNot503++;
        }
      }
    }

    // The log, per tenant: seq -> customer, and events per customer.
    Map<String, Map<Long, String>> log = new HashMap<>();
    Map<String, Integer> eventsPerCustomer = new HashMap<>();
    for (Object[] row : pg.query("SELECT tenant_id, seq, customer_id FROM events WHERE tenant_id IN ('alpha', 'beta')")) {
      log.computeIfAbsent((String) row[0], t -> new HashMap<>()).put(((Number) row[1]).longValue(), (String) row[2]);
      eventsPerCustomer.merge(row[0] + "/" + row[2], 1, Integer::sum);
    }
    r.events = eventsPerCustomer.values().stream().mapToLong(Integer::longValue).sum();
    for (Map<Long, String> tenantLog : log.values()) {
      long max = tenantLog.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
      r.gapsInLog += max - tenantLog.size();
    }
    r.dbDuplicated = (int) eventsPerCustomer.values().stream().filter(c -> c > 1).count();
    r.inboxRows = pg.count("SELECT count(*) FROM inbox WHERE tenant_id IN ('alpha', 'beta')");
    Set<String> redrivenCustomers = new HashSet<>();
    for (Object[] row : pg.query("SELECT tenant_id, body FROM inbox WHERE attempts > 0 AND tenant_id IN ('alpha', 'beta')")) {
      JsonObject body = new JsonObject(new String((byte[]) row[1], java.nio.charset.StandardCharsets.UTF_8));
      String customer = body.containsKey("payload") ? body.getJsonObject("payload").getString("customerId")
          : body.getString("externalUserId");
      redrivenCustomers.add(row[0] + "/" + customer);
    }
    r.redriven = redrivenCustomers.size();
    int victimPort = cluster.node(3).httpPort;
    for (Attempt a : driver.attempts) {
      if (a.ok() && a.port() == victimPort) {
        Delivery d = deliveries.get(a.delivery());
        r.victimAcked++;
        if (redrivenCustomers.contains(d.tenant() + "/" + d.customer())) {
          r.victimAckedRedriven++;
        }
      }
    }
    r.burstFirstAnswers = new java.util.TreeMap<>();
    Set<Integer> seen = new HashSet<>();
    for (Attempt a : driver.attempts.stream().sorted(java.util.Comparator.comparingLong(Attempt::startNanos)).toList()) {
      if (a.delivery() >= KILL_AT && a.delivery() < KILL_AT + BURST && seen.add(a.delivery())) {
        r.burstFirstAnswers.merge(a.status(), 1L, Long::sum);
      }
    }
    r.unapplied = pg.count("SELECT count(*) FROM inbox WHERE applied_at IS NULL AND tenant_id IN ('alpha', 'beta')");
    for (int acked : driver.acknowledged) {
      Delivery d = deliveries.get(acked);
      int count = eventsPerCustomer.getOrDefault(d.tenant() + "/" + d.customer(), 0);
      if (count == 0) {
        r.ackedLost++;
      } else {
        r.applied++;
      }
    }

    for (SseListener l : listeners) {
      Map<Long, String> tenantLog = log.getOrDefault(l.tenant(), Map.of());
      List<SseListener.Received> got = List.copyOf(l.received);
      Set<Long> distinct = new HashSet<>();
      long duplicates = 0;
      long outOfOrder = 0;
      long wrong = 0;
      long previous = 0;
      for (SseListener.Received e : got) {
        if (!distinct.add(e.id())) {
          duplicates++;
        }
        if (e.id() <= previous) {
          outOfOrder++;
        }
        previous = Math.max(previous, e.id());
        if (!e.customerId().equals(tenantLog.get(e.id()))) {
          wrong++;
        }
      }
      long missing = tenantLog.keySet().stream().filter(id -> !distinct.contains(id)).count();
      long failovers = l.failovers();
      r.sseDelivered += got.size();
      r.sseMissing += missing;
      r.sseDuplicated += duplicates;
      r.sseOutOfOrder += outOfOrder;
      r.sseWrongCustomer += wrong;
      if (l.homePort() == cluster.node(3).httpPort) {
        r.failovers += failovers;
      }
      r.perClient.add(String.format("%s: delivered %d of %d, missing %d, duplicated %d, connections %d, on another node %d",
          l.name, got.size(), tenantLog.size(), missing, duplicates,
          l.connections.stream().filter(c -> c.endsWith("streaming")).count(), failovers));
    }
    return r;
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static LoopbackHttp.Response p100(Node node, String tenant, String customer, String token) {
    byte[] body = WebhookDriver.utf8(new JsonObject().put("externalUserId", customer).put("verificationStatus", "VERIFIED")
        .encode());
    return LoopbackHttp.post(node.httpPort, "/webhooks/" + tenant + "/p100", WebhookDriver.signed("p100", token, body), body);
  }

  /**
   * Probes every node in turn for {@code millis} after {@code since}; returns the latest time (ms
   * after {@code since}) a probe was sent that got {@code staleStatus}, or -1 if none did.
   */
  private static long probeUntil(long since, long millis, java.util.function.ToIntFunction<Node> probe, int staleStatus) {
    long last = -1;
    while (System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(millis)) {
      for (Node node : cluster.nodes) {
        long sentAt = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        if (probe.applyAsInt(node) == staleStatus) {
          last = Math.max(last, sentAt);
        }
      }
      pause(20);
    }
    return last;
  }

  private static String describe(long millis) {
    return millis < 0 ? "never (not even the first probe)" : millis + " ms";
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static Thread startThread(Runnable body) {
    Thread thread = new Thread(body, "cluster-it-phase");
    thread.start();
    return thread;
  }

  private interface Action {
    void run() throws Exception;
  }

  private static void quietly(Action action) {
    try {
      action.run();
    } catch (Exception e) {
      System.out.println("cluster-it: phase failed: " + e);
      e.printStackTrace(System.out);
    }
  }
}
