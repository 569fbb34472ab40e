package io.kychub.stream;

import static io.kychub.stream.SseClient.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.HubConfig;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.StatusChangedEvent;
import io.kychub.store.Database;
import io.kychub.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class EventStreamHandlerTest {

  private static final int RETRY_MILLIS = 1500;

  private static Vertx vertx;
  private static Pool pool;
  private static EventLogFixture log;
  private static StreamTestVerticle server;
  private static StreamTestVerticle tightServer;
  private static final List<String> deployments = new ArrayList<>();
  private final List<SseClient> clients = new ArrayList<>();

  @BeforeAll
  static void startServers(Vertx v) {
    vertx = v;
    String url = TestDatabase.freshDatabaseUrl(EventStreamHandlerTest.class);
    Await.result(Database.migrate(vertx, url), 60);
    pool = Database.pool(vertx, url, 4);
    log = new EventLogFixture(vertx, pool);
    server = deploy(new StreamTestVerticle(pool, config(1000)));
    tightServer = deploy(new StreamTestVerticle(pool, config(10)));
  }

  @AfterEach
  void closeClients() {
    clients.forEach(SseClient::close);
    awaitTrue(() -> server.handler.openConnections() == 0, "every connection to be released");
  }

  @AfterAll
  static void stopServers() {
    for (String id : deployments) {
      Await.result(vertx.undeploy(id));
    }
    Await.result(pool.close());
  }

  @Test
  void liveEventsArriveInOrderFramedWithIdEventAndDataAfterTheRetryHint() {
    log.createTenant("live");
    SseClient sse = open(server, "/v1/events", "key-live", null);

    StatusChangedEvent first = log.commitAndPublish("live", "cust-1");
    StatusChangedEvent second = log.commitAndPublish("live", "cust-2");

    assertThat(sse.awaitEvents(2)).containsExactly(1L, 2L);
    assertThat(sse.status()).isEqualTo(200);
    assertThat(sse.headers().get("content-type")).isEqualTo("text/event-stream; charset=utf-8");
    assertThat(sse.headers().get("cache-control")).isEqualTo("no-cache");
    assertThat(sse.headers().get("x-accel-buffering")).isEqualTo("no");
    assertThat(sse.text()).startsWith("retry: " + RETRY_MILLIS + "\n\n");
    assertThat(sse.text()).contains("id: 1\nevent: kyc.status_changed\ndata: " + first.toJson().encode() + "\n\n");
    assertThat(sse.events()).extracting(SseClient.Frame::event).containsOnly("kyc.status_changed");
    assertThat(new JsonObject(sse.events().get(1).data())).isEqualTo(second.toJson());
  }

  @Test
  void withoutLastEventIdOnlyEventsCommittedAfterConnectingAreSent() {
    log.createTenant("from-now");
    log.commit("from-now", "cust-1", 2, null);
    SseClient sse = open(server, "/v1/events", "key-from-now", null);

    log.commitAndPublish("from-now", "cust-1");

    assertThat(sse.awaitEvents(1)).containsExactly(3L);
  }

  @Test
  void resumeAfterLastEventIdDeliversExactlyTheMissedEventsThenLiveOnes() {
    log.createTenant("resume-header");
    List<StatusChangedEvent> past = log.commit("resume-header", "cust-1", 5, null);
    SseClient sse = open(server, "/v1/events", "key-resume-header", "2");
    sse.awaitEvents(3);

    log.publish(past.get(3)); // a late duplicate of id 4 from another node
    log.commitAndPublish("resume-header", "cust-1");
    log.commitAndPublish("resume-header", "cust-1");

    sse.awaitEvents(5);
    assertThat(sse.ids()).containsExactly(3L, 4L, 5L, 6L, 7L);
  }

  @Test
  void resumeAfterLastEventIdQueryParameterDeliversExactlyTheMissedEvents() {
    log.createTenant("resume-query");
    log.commit("resume-query", "cust-1", 4, null);
    SseClient sse = open(server, "/v1/events?lastEventId=1", "key-resume-query", null);

    log.commitAndPublish("resume-query", "cust-1");

    sse.awaitEvents(4);
    assertThat(sse.ids()).containsExactly(2L, 3L, 4L, 5L);
  }

  @Test
  void lastEventIdBeyondTheEndOfTheLogResumesFromItsEnd() {
    log.createTenant("restored");
    log.commit("restored", "cust-1", 2, null);
    SseClient sse = open(server, "/v1/events", "key-restored", "9000");

    log.commitAndPublish("restored", "cust-1");

    assertThat(sse.awaitEvents(1)).containsExactly(3L);
  }

  @Test
  void replayOverSeveralPagesMergesWithLiveEventsWithoutGapOrDuplicate() {
    log.createTenant("many");
    log.commit("many", "cust-1", 1203, null);
    SseClient sse = open(server, "/v1/events", "key-many", "0");

    // published while the replay is running, some of them already replayed
    List<StatusChangedEvent> live = log.commit("many", "cust-2", 10, null);
    live.forEach(log::publish);
    live.forEach(log::publish);

    sse.awaitEvents(1213);
    assertThat(sse.ids()).containsExactlyElementsOf(LongStream.rangeClosed(1, 1213).boxed().toList());
    log.commitAndPublish("many", "cust-1");
    sse.awaitEvents(1214);
    assertThat(sse.ids()).hasSize(1214).endsWith(1214L);
  }

  @Test
  void eventPublishedBeforeAnEarlierOneIsStillDeliveredInOrder() {
    log.createTenant("shuffled");
    SseClient sse = open(server, "/v1/events", "key-shuffled", null);

    List<StatusChangedEvent> events = log.commit("shuffled", "cust-1", 2, null);
    log.publish(events.get(1));
    log.publish(events.get(0));
    log.commitAndPublish("shuffled", "cust-1");

    sse.awaitEvents(3);
    assertThat(sse.ids()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void liveEventThatNeverArrivesIsFilledFromTheDatabase() {
    log.createTenant("missed");
    SseClient sse = open(server, "/v1/events", "key-missed", null);

    List<StatusChangedEvent> events = log.commit("missed", "cust-1", 3, null);
    log.publish(events.get(0));
    log.publish(events.get(2)); // id 2 is committed but its message was lost

    sse.awaitEvents(3);
    assertThat(sse.ids()).containsExactly(1L, 2L, 3L);
    assertThat(sse.events().get(1).data()).isEqualTo(events.get(1).toJson().encode());
  }

  @Test
  void theLastEventIsDeliveredEvenIfItsMessageWasLostAndTheTenantStaysQuiet() {
    log.createTenant("lost-last");
    SseClient sse = open(server, "/v1/events", "key-lost-last", null);
    List<StatusChangedEvent> events = log.commit("lost-last", "cust-1", 2, null);
    log.publish(events.get(0)); // id 2 is committed, its message is lost, and nothing follows it

    sse.awaitEvents(2);
    assertThat(sse.ids()).containsExactly(1L, 2L);
  }

  @Test
  void customerFilterDeliversOnlyThatCustomersEventsWithoutGap() {
    log.createTenant("filtered");
    log.commit("filtered", "cust-a");
    log.commit("filtered", "cust-b");
    log.commit("filtered", "cust-a");
    SseClient sse = open(server, "/v1/events?customerId=cust-a&lastEventId=0", "key-filtered", null);
    sse.awaitEvents(2);

    log.commitAndPublish("filtered", "cust-b");
    log.commit("filtered", "cust-a"); // id 5: its message is lost, another customer's id 6 reveals the gap
    log.commitAndPublish("filtered", "cust-b");
    log.commitAndPublish("filtered", "cust-a");

    sse.awaitEvents(4);
    assertThat(sse.ids()).containsExactly(1L, 3L, 5L, 7L);
    assertThat(sse.events()).extracting(frame -> new JsonObject(frame.data()).getString("customerId")).containsOnly("cust-a");
  }

  @Test
  void tenantNeverSeesAnotherTenantsEvents() {
    log.createTenant("tenant-a");
    log.createTenant("tenant-b");
    log.commit("tenant-a", "cust-1");
    log.commit("tenant-b", "cust-1");
    SseClient a = open(server, "/v1/events", "key-tenant-a", "0");
    SseClient b = open(server, "/v1/events", "key-tenant-b", "0");

    log.commitAndPublish("tenant-b", "cust-1");
    log.commitAndPublish("tenant-a", "cust-1");
    log.commitAndPublish("tenant-b", "cust-1");

    assertThat(a.awaitEvents(2)).containsExactly(1L, 2L);
    assertThat(b.awaitEvents(3)).containsExactly(1L, 2L, 3L);
    log.commitAndPublish("tenant-a", "cust-1");
    assertThat(a.awaitEvents(3)).containsExactly(1L, 2L, 3L);
    assertThat(a.events()).extracting(frame -> new JsonObject(frame.data()).getString("tenantId")).containsOnly("tenant-a");
    assertThat(b.events()).extracting(frame -> new JsonObject(frame.data()).getString("tenantId")).containsOnly("tenant-b");
  }

  @Test
  void lastEventIdThatIsNotANonNegativeIntegerIsABadRequest() {
    log.createTenant("bad-id");
    for (String header : List.of("abc", "-1", "1.5")) {
      SseClient sse = open(server, "/v1/events", "key-bad-id", header);
      assertThat(sse.status()).isEqualTo(400);
      assertThat(sse.jsonBody().getString("error")).isEqualTo("bad_request");
    }
    SseClient query = open(server, "/v1/events?lastEventId=x", "key-bad-id", null);
    assertThat(query.status()).isEqualTo(400);
    assertThat(query.jsonBody().getString("error")).isEqualTo("bad_request");
  }

  @Test
  void requestWithoutValidKeyIsUnauthorizedWithJsonError() {
    SseClient missing = open(server, "/v1/events", null, null);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.headers().get("content-type")).isEqualTo("application/json");
    assertThat(missing.jsonBody().getString("error")).isEqualTo("unauthorized");
    assertThat(server.handler.openConnections()).isZero();
  }

  @Test
  void heartbeatCommentIsSentWhileNothingHappens() {
    log.createTenant("quiet");
    SseClient sse = open(server, "/v1/events", "key-quiet", null);

    awaitTrue(() -> sse.comments().contains(": hb"), "a heartbeat comment");
    assertThat(sse.events()).isEmpty();
  }

  @Test
  void closedClientReleasesItsConnection() {
    log.createTenant("leaving");
    int closedBefore = server.metrics.closed.get();
    SseClient sse = open(server, "/v1/events", "key-leaving", null);
    awaitTrue(() -> server.handler.openConnections() == 1, "the connection to be counted");

    clients.remove(sse);
    sse.close();

    awaitTrue(() -> server.handler.openConnections() == 0, "the connection to be released");
    assertThat(server.metrics.closed.get()).isEqualTo(closedBefore + 1);
  }

  @Test
  void clientThatStopsReadingIsCutOffAndItsConnectionReleased() {
    log.createTenant("slow");
    SseClient sse = open(tightServer, "/v1/events", "key-slow", null);
    awaitTrue(() -> tightServer.handler.openConnections() == 1, "the connection to be counted");
    sse.pause();

    Reason bulky = Reason.of(ReasonCode.OTHER, "x".repeat(32 * 1024));
    for (long seq = 1; seq <= 2000 && tightServer.metrics.cutOff.get() == 0; seq++) {
      log.publish(EventLogFixture.event(seq, "slow", "cust-1", bulky));
    }

    // well before the stall limit: it is the queue bound that cuts this client off
    awaitTrue(() -> tightServer.metrics.cutOff.get() == 1, "the slow client to be cut off", Duration.ofSeconds(3));
    awaitTrue(() -> tightServer.handler.openConnections() == 0, "the connection to be released");
    assertThat(tightServer.metrics.closed.get()).isEqualTo(tightServer.metrics.opened.get());
    sse.resume();
    sse.awaitEnded();
    List<Long> received = sse.ids();
    assertThat(received).isNotEmpty().isEqualTo(LongStream.rangeClosed(1, received.size()).boxed().toList());
  }

  @Test
  void undeployingTheVerticleEndsEveryStreamPromptly() {
    log.createTenant("shutdown");
    StreamTestVerticle doomed = new StreamTestVerticle(pool, config(1000));
    String id = Await.result(vertx.deployVerticle(doomed));
    SseClient sse = open(doomed, "/v1/events", "key-shutdown", null);

    long started = System.nanoTime();
    Await.result(vertx.undeploy(id), 5);

    sse.awaitEnded();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3000);
    assertThat(doomed.metrics.closed.get()).isEqualTo(1);
  }

  private SseClient open(StreamTestVerticle target, String uri, String apiKey, String lastEventIdHeader) {
    SseClient sse = SseClient.open(vertx, target.port(), uri, apiKey, lastEventIdHeader);
    clients.add(sse);
    return sse;
  }

  private static StreamTestVerticle deploy(StreamTestVerticle verticle) {
    deployments.add(Await.result(vertx.deployVerticle(verticle)));
    return verticle;
  }

  private static HubConfig config(int maxQueuedEvents) {
    return HubConfig.from(new JsonObject()
        .put("KYC_JWT_HS256_SECRET", "s".repeat(32))
        .put("KYC_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]))
        .put("KYC_SSE_HEARTBEAT_SECONDS", 1)
        .put("KYC_SSE_RETRY_MILLIS", RETRY_MILLIS)
        .put("KYC_SSE_MAX_QUEUED_EVENTS", maxQueuedEvents));
  }
}
