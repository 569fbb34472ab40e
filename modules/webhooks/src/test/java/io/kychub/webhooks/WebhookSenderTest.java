package io.kychub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.Addresses;
import io.kychub.model.DecidedBy;
import io.kychub.model.HubConfig;
import io.kychub.model.KycStatus;
import io.kychub.model.RecordCodec;
import io.kychub.model.StatusChangedEvent;
import io.kychub.store.AuditStore;
import io.kychub.store.Database;
import io.kychub.store.SecretBox;
import io.kychub.store.WebhookStore;
import io.kychub.testkit.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sender against a real PostgreSQL and a real HTTP receiver on loopback: signed deliveries,
 * the same webhook-id on every attempt, retries and timeouts, order per customer with other
 * customers flowing, and a name that resolves to a private address by the time of delivery.
 */
class WebhookSenderTest {

  private static Vertx vertx;
  private static Pool pool;
  private static WebhookStore store;
  private static HttpServer receiver;
  private static final List<Received> received = new CopyOnWriteArrayList<>();
  /** What the receiver does with a request, by the customer its event is about (default: 200). */
  private static final Map<String, Function<Received, Integer>> behaviour = new ConcurrentHashMap<>();
  /** The resolver the sender uses: a name's addresses can be changed by a test. */
  private static final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();
  private static final AtomicLong seq = new AtomicLong();

  /** One request the receiver got. */
  record Received(String path, String webhookId, String timestamp, String signature, String body, String customer, long event) {}

  /** What the receiver does at a path when no behaviour is set for the customer (default: 200). */
  private static final Map<String, Integer> byPath = new ConcurrentHashMap<>();
  private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeAll
  static void start() throws Exception {
    String url = TestDatabase.freshDatabaseUrl(WebhookSenderTest.class);
    vertx = Vertx.vertx();
    RecordCodec.registerAll(vertx.eventBus());
    Database.migrate(vertx, url).await(60, TimeUnit.SECONDS);
    pool = Database.pool(vertx, url, 4);
    sql("INSERT INTO tenants (id, name) VALUES ('acme', 'Acme')");
    sql("INSERT INTO tenant_sequences (tenant_id) VALUES ('acme')");
    SecretBox box = new SecretBox(new HubConfig.MasterKeys("k1", Map.of("k1", new byte[32])));
    store = new WebhookStore(pool, box);
    receiver = vertx.createHttpServer().requestHandler(WebhookSenderTest::receive).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    Resolver resolver = host -> {
      List<InetAddress> found = names.get(host);
      return found != null ? Future.succeededFuture(found) : Resolver.system(vertx).resolve(host);
    };
    WebhookSender.Settings settings = new WebhookSender.Settings(new TargetPolicy(true), new RetrySchedule(0.00002),
        Duration.ofDays(5), 1_000);
    vertx.deployVerticle(new WebhookSender(store, new AuditStore(pool), resolver, settings, registry))
        .await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static void receive(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      io.vertx.core.json.JsonObject event = body.toJsonObject();
      Received r = new Received(request.path(), request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
          request.getHeader("webhook-signature"), body.toString(), event.getString("customerId"),
          Long.parseLong(event.getString("id")));
      received.add(r);
      Integer status = behaviour.getOrDefault(r.customer(), x -> byPath.getOrDefault(r.path(), 200)).apply(r);
      if (status == 0) {
        return; // hangs: never answers
      }
      if (status / 100 == 3) {
        request.response().putHeader("location", receiverUrl("/followed"));
      }
      request.response().setStatusCode(status).end("answer " + status + " " + "x".repeat(2000));
    });
  }

  private static List<Row> sql(String statement, Object... params) throws Exception {
    List<Row> rows = new ArrayList<>();
    pool.preparedQuery(statement).execute(Tuple.wrap(params)).await(10, TimeUnit.SECONDS).forEach(rows::add);
    return rows;
  }

  /** Appends an event of the customer to acme's log, as the decision path would, and announces it. */
  private static long event(String customer, KycStatus status) throws Exception {
    long id = seq.incrementAndGet();
    StatusChangedEvent e = new StatusChangedEvent(id, "acme", customer, "v-" + customer, "sovera", status, null,
        DecidedBy.PROVIDER, null, Instant.now(), Instant.now(), null);
    sql("INSERT INTO events (tenant_id, seq, customer_id, payload) VALUES ('acme', $1, $2, $3::text::jsonb)", id, customer,
        e.toJson().encode());
    sql("UPDATE tenant_sequences SET last_seq = $1 WHERE tenant_id = 'acme'", id);
    vertx.eventBus().publish(Addresses.EVENTS, e);
    return id;
  }

  private static WebhookStore.Endpoint endpoint(String url, List<String> statuses) throws Exception {
    return store.create(String.format("we_%016d", seq.incrementAndGet() * 1000 + received.size()), "acme", url, null, statuses,
        Signatures.newSecret()).await(10, TimeUnit.SECONDS);
  }

  private static String receiverUrl(String path) {
    return "http://127.0.0.1:" + receiver.actualPort() + path;
  }

  private static List<Received> awaitReceived(String customer, int n) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    List<Received> mine;
    do {
      mine = received.stream().filter(r -> r.customer().equals(customer)).toList();
      if (mine.size() >= n) {
        return mine;
      }
      Thread.sleep(20);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError("expected " + n + " requests for " + customer + ", got " + mine);
  }

  /** An independent check of a Standard Webhooks signature (not the code under test). */
  private static boolean verifies(Received r, String secret) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    String expected = "v1," + Base64.getEncoder().encodeToString(
        mac.doFinal((r.webhookId() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
    return List.of(r.signature().split(" ")).contains(expected);
  }

  @Test
  void everyEventIsPostedSignedWithItsEventAsTheBody() throws Exception {
    WebhookStore.Endpoint endpoint = endpoint(receiverUrl("/signed"), null);
    long id = event("signed-1", KycStatus.VERIFIED);
    Received r = awaitReceived("signed-1", 1).get(0);
    assertThat(r.event()).isEqualTo(id);
    assertThat(r.webhookId()).isEqualTo(WebhookSender.webhookId(endpoint.id(), id));
    assertThat(Long.parseLong(r.timestamp())).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(30L));
    assertThat(verifies(r, endpoint.secrets().get(0).value())).isTrue();
    assertThat(new io.vertx.core.json.JsonObject(r.body()).getString("status")).isEqualTo("verified");
    awaitState(endpoint.id(), id, "delivered");
    Row attempt = sql("SELECT status_code, response, outcome FROM webhook_attempts WHERE endpoint_id = $1", endpoint.id()).get(0);
    assertThat(attempt.getInteger(0)).isEqualTo(200);
    assertThat(attempt.getString(1)).as("only the first KiB of the answer is kept").hasSize(1024);
    assertThat(attempt.getString(2)).isEqualTo("delivered");
    store.disable("acme", endpoint.id(), "test done").await(5, TimeUnit.SECONDS);
  }

  @Test
  void aFailedAttemptIsRetriedWithTheSameWebhookIdAndAHangingOneTimesOut() throws Exception {
    AtomicLong calls = new AtomicLong();
    behaviour.put("retry-1", r -> calls.incrementAndGet() == 1 ? 500 : calls.get() == 2 ? 0 : 200);
    WebhookStore.Endpoint endpoint = endpoint(receiverUrl("/retry"), null);
    long id = event("retry-1", KycStatus.REJECTED);
    List<Received> all = awaitReceived("retry-1", 3);
    assertThat(all).extracting(Received::webhookId).containsOnly(WebhookSender.webhookId(endpoint.id(), id));
    awaitState(endpoint.id(), id, "delivered");
    List<Row> attempts = sql("SELECT attempt, status_code, error, outcome FROM webhook_attempts WHERE endpoint_id = $1 "
        + "ORDER BY id", endpoint.id());
    assertThat(attempts).extracting(a -> a.getString(3)).containsExactly("retrying", "retrying", "delivered");
    assertThat(attempts.get(0).getInteger(1)).isEqualTo(500);
    assertThat(attempts.get(1).getInteger(1)).as("no answer within the timeout").isNull();
    assertThat(attempts.get(1).getString(2)).containsIgnoringCase("timeout");
    store.disable("acme", endpoint.id(), "test done").await(5, TimeUnit.SECONDS);
  }

  @Test
  void aCustomersLaterEventWaitsForItsEarlierOneAndOtherCustomersFlow() throws Exception {
    AtomicLong failures = new AtomicLong(3);
    behaviour.put("slow-a", r -> failures.getAndDecrement() > 0 ? 503 : 200);
    WebhookStore.Endpoint endpoint = endpoint(receiverUrl("/order"), null);
    long a1 = event("slow-a", KycStatus.PENDING);
    long a2 = event("slow-a", KycStatus.PROCESSING);
    long b1 = event("fast-b", KycStatus.PENDING);
    long b2 = event("fast-b", KycStatus.VERIFIED);
    long a3 = event("slow-a", KycStatus.VERIFIED);
    awaitReceived("fast-b", 2);
    List<Received> a = awaitReceived("slow-a", 6);
    // a1 failed three times, then a1, a2, a3 in order; nothing of a2 or a3 before a1 was delivered.
    assertThat(a.stream().map(Received::event).toList()).containsExactly(a1, a1, a1, a1, a2, a3);
    assertThat(received.stream().filter(r -> r.customer().equals("fast-b")).map(Received::event).toList())
        .containsExactly(b1, b2);
    awaitState(endpoint.id(), a3, "delivered");
    store.disable("acme", endpoint.id(), "test done").await(5, TimeUnit.SECONDS);
  }

  @Test
  void onlyTheStatusesAnEndpointListsAreSent() throws Exception {
    WebhookStore.Endpoint endpoint = endpoint(receiverUrl("/filtered"), List.of("verified", "rejected"));
    event("filter-1", KycStatus.PENDING);
    long verified = event("filter-1", KycStatus.VERIFIED);
    awaitState(endpoint.id(), verified, "delivered");
    assertThat(received.stream().filter(r -> r.customer().equals("filter-1")).map(Received::event).toList())
        .containsExactly(verified);
    store.disable("acme", endpoint.id(), "test done").await(5, TimeUnit.SECONDS);
  }

  @Test
  void afterTheLastAttemptTheDeliveryIsFailedAndTheCustomersNextEventGoes() throws Exception {
    behaviour.put("dead-1", r -> r.body().contains("\"pending\"") ? 500 : 200);
    WebhookStore.Endpoint endpoint = endpoint(receiverUrl("/last"), null);
    long first = event("dead-1", KycStatus.PENDING);
    long second = event("dead-1", KycStatus.VERIFIED);
    awaitState(endpoint.id(), first, "failed");
    awaitState(endpoint.id(), second, "delivered");
    assertThat(received.stream().filter(r -> r.event() == first).count()).isEqualTo(RetrySchedule.maxAttempts());
    assertThat(sql("SELECT outcome FROM webhook_attempts WHERE endpoint_id = $1 AND event_seq = $2 ORDER BY id",
        endpoint.id(), first)).extracting(a -> a.getString(0)).hasSize(8).endsWith("failed").containsOnly("retrying", "failed");
    assertThat(registry.get("kyc.webhook.deliveries").tag("outcome", "failed").counter().count()).isGreaterThanOrEqualTo(1);
    store.disable("acme", endpoint.id(), "test done").await(5, TimeUnit.SECONDS);
  }

  @Test
  void aRedirectIsNotFollowedButCountsAsNotDelivered() throws Exception {
    byPath.put("/moved", 302);
    WebhookStore.Endpoint endpoint = endpoint(receiverUrl("/moved"), null);
    long id = event("moved-1", KycStatus.VERIFIED);
    awaitReceived("moved-1", 2);
    byPath.put("/moved", 200);
    awaitState(endpoint.id(), id, "delivered");
    assertThat(received).noneMatch(r -> r.path().equals("/followed"));
    assertThat(sql("SELECT status_code FROM webhook_attempts WHERE endpoint_id = $1 ORDER BY id LIMIT 1", endpoint.id())
        .get(0).getInteger(0)).isEqualTo(302);
    store.disable("acme", endpoint.id(), "test done").await(5, TimeUnit.SECONDS);
  }

  @Test
  void aReceiverDownForAWhileGetsEverythingInOrderWhenItIsBack() throws Exception {
    HttpServer probe = vertx.createHttpServer().requestHandler(r -> {}).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    int port = probe.actualPort();
    probe.close().await(10, TimeUnit.SECONDS);
    WebhookStore.Endpoint endpoint = endpoint("http://127.0.0.1:" + port + "/back", null);
    List<Long> a = new ArrayList<>();
    List<Long> b = new ArrayList<>();
    for (KycStatus status : List.of(KycStatus.PENDING, KycStatus.PROCESSING, KycStatus.VERIFIED)) {
      a.add(event("down-a", status));
      b.add(event("down-b", status));
    }
    long deadline = System.currentTimeMillis() + 15_000;
    while (sql("SELECT 1 FROM webhook_attempts WHERE endpoint_id = $1", endpoint.id()).size() < 4
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    List<Row> refused = sql("SELECT error, outcome FROM webhook_attempts WHERE endpoint_id = $1", endpoint.id());
    assertThat(refused).hasSizeGreaterThanOrEqualTo(4).allMatch(r -> r.getString(1).equals("retrying"));
    assertThat(refused.get(0).getString(0)).as("why there was no answer").isNotBlank();
    List<Received> got = new CopyOnWriteArrayList<>();
    HttpServer back = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      io.vertx.core.json.JsonObject event = body.toJsonObject();
      got.add(new Received(request.path(), request.getHeader("webhook-id"), null, null, null, event.getString("customerId"),
          Long.parseLong(event.getString("id"))));
      request.response().setStatusCode(204).end();
    })).listen(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    try {
      awaitState(endpoint.id(), a.get(2), "delivered");
      awaitState(endpoint.id(), b.get(2), "delivered");
      assertThat(got.stream().filter(r -> r.customer().equals("down-a")).map(Received::event).toList()).isEqualTo(a);
      assertThat(got.stream().filter(r -> r.customer().equals("down-b")).map(Received::event).toList()).isEqualTo(b);
    } finally {
      back.close().await(10, TimeUnit.SECONDS);
      store.disable("acme", endpoint.id(), "test done").await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aHangingEndpointDoesNotHoldUpAnother() throws Exception {
    byPath.put("/hangs", 0);
    WebhookStore.Endpoint hanging = endpoint(receiverUrl("/hangs"), null);
    WebhookStore.Endpoint healthy = endpoint(receiverUrl("/healthy"), null);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(event("iso-" + i, KycStatus.VERIFIED));
    }
    for (long id : ids) {
      awaitState(healthy.id(), id, "delivered");
    }
    // Every event reached the healthy endpoint while the hanging one's first requests were still open.
    assertThat(sql("SELECT 1 FROM webhook_attempts WHERE endpoint_id = $1", hanging.id())).isEmpty();
    assertThat(received.stream().filter(r -> r.path().equals("/hangs")).count()).isPositive();
    store.disable("acme", hanging.id(), "test done").await(5, TimeUnit.SECONDS);
    store.disable("acme", healthy.id(), "test done").await(5, TimeUnit.SECONDS);
  }

  @Test
  void anAnswerThatTricklesInIsCutAtTheTimeout() throws Exception {
    HttpServer trickle = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      request.response().setChunked(true).setStatusCode(200).write("a");
      long timer = vertx.setPeriodic(100, t -> request.response().write("b"));
      request.connection().closeHandler(v -> vertx.cancelTimer(timer));
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    try {
      WebhookStore.Endpoint endpoint = endpoint("http://127.0.0.1:" + trickle.actualPort() + "/trickle", null);
      long id = event("trickle-1", KycStatus.VERIFIED);
      long deadline = System.currentTimeMillis() + 15_000;
      List<Row> attempts = List.of();
      while (attempts.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
        attempts = sql("SELECT outcome, error FROM webhook_attempts WHERE endpoint_id = $1 AND event_seq = $2", endpoint.id(), id);
      }
      assertThat(attempts).isNotEmpty();
      assertThat(attempts.get(0).getString(0)).isEqualTo("retrying");
      assertThat(attempts.get(0).getString(1)).contains("timeout");
      store.disable("acme", endpoint.id(), "test done").await(5, TimeUnit.SECONDS);
    } finally {
      trickle.close().await(10, TimeUnit.SECONDS);
    }
  }


  private static void awaitState(String endpointId, long event, String state) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    String now = null;
    while (System.currentTimeMillis() < deadline) {
      List<Row> rows = sql("SELECT state FROM webhook_deliveries WHERE endpoint_id = $1 AND event_seq = $2", endpointId, event);
      now = rows.isEmpty() ? null : rows.get(0).getString(0);
      if (state.equals(now)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("delivery of event " + event + " never " + state + " (now " + now + ")");
  }
}
