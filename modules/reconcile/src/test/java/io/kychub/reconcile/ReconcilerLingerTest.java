package io.kychub.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.Addresses;
import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.KycStatus;
import io.kychub.model.SubjectKind;
import io.kychub.model.UpdateBatch;
import io.kychub.store.Database;
import io.kychub.store.InboxStore;
import io.kychub.store.KycStore;
import io.kychub.testkit.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler's linger: small groups wait for company, large ones start at once, none waits longer. */
class ReconcilerLingerTest {

  private Vertx vertx;
  private Pool pool;
  private SimpleMeterRegistry registry;
  private InboxStore inbox;
  private int next;

  @BeforeEach
  void start() throws Exception {
    String url = TestDatabase.freshDatabaseUrl(ReconcilerLingerTest.class);
    vertx = Vertx.vertx();
    Database.migrate(vertx, url).await(60, TimeUnit.SECONDS);
    pool = Database.pool(vertx, url, 4);
    pool.preparedQuery("INSERT INTO tenants (id, name) VALUES ('acme', 'Acme') ON CONFLICT DO NOTHING").execute()
        .await(10, TimeUnit.SECONDS);
    pool.preparedQuery("INSERT INTO tenant_sequences (tenant_id) VALUES ('acme') ON CONFLICT DO NOTHING").execute()
        .await(10, TimeUnit.SECONDS);
    inbox = new InboxStore(pool, 64, 1);
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void deploy(long lingerMillis) throws Exception {
    vertx.deployVerticle(new ReconcilerVerticle(new DecisionPath(vertx, new KycStore(pool)), 2, lingerMillis, registry))
        .await(10, TimeUnit.SECONDS);
  }

  private UpdateBatch delivery() throws Exception {
    int n = next++;
    long id = inbox.append(new InboxStore.Entry("acme", "sovera", "linger-" + n + "-" + System.nanoTime(), Instant.now(),
        new JsonObject(), "{}".getBytes(StandardCharsets.UTF_8))).await(10, TimeUnit.SECONDS).id();
    return UpdateBatch.ofDelivery(id, "acme", "sovera", Instant.now(), List.of(new CanonicalUpdate("c-linger-" + n,
        SubjectKind.CUSTOMER, KycStatus.PROCESSING, DecidedBy.PROVIDER, null, null)));
  }

  private List<Future<?>> send(List<UpdateBatch> batches) {
    List<Future<?>> replies = new ArrayList<>();
    for (UpdateBatch b : batches) {
      replies.add(vertx.eventBus().request(Addresses.RECONCILE, b));
    }
    return replies;
  }

  private double transactions() {
    return registry.get("kyc.reconcile.transactions").counter().count();
  }

  private long events() throws Exception {
    return pool.preparedQuery("SELECT count(*) FROM events WHERE tenant_id = $1").execute(Tuple.of("acme"))
        .await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  @Test
  void deliveriesArrivingWithinTheLingerShareOneTransaction() throws Exception {
    deploy(300);
    List<UpdateBatch> batches = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batches.add(delivery());
    }
    long sent = System.nanoTime();
    Future.all(send(batches)).await(10, TimeUnit.SECONDS);
    assertThat((System.nanoTime() - sent) / 1_000_000).isGreaterThanOrEqualTo(250);
    assertThat(transactions()).isEqualTo(1);
    assertThat(events()).isEqualTo(5);
  }

  @Test
  void aLoneDeliveryIsAppliedWhenTheLingerEnds() throws Exception {
    deploy(200);
    Future.all(send(List.of(delivery()))).await(10, TimeUnit.SECONDS);
    assertThat(transactions()).isEqualTo(1);
    assertThat(events()).isEqualTo(1);
  }

  @Test
  void aLargeGroupStartsWithoutWaitingForTheLinger() throws Exception {
    // A linger far longer than the wait: only the size rule can start these groups in time.
    deploy(60_000);
    List<UpdateBatch> batches = new ArrayList<>();
    for (int i = 0; i < ReconcilerVerticle.LINGER_UNTIL; i++) {
      batches.add(delivery());
    }
    Future.all(send(batches)).await(20, TimeUnit.SECONDS);
    assertThat(transactions()).isEqualTo(1);
    assertThat(events()).isEqualTo(ReconcilerVerticle.LINGER_UNTIL);
  }

  @Test
  void withoutALingerEachDeliveryStartsAtOnce() throws Exception {
    deploy(0);
    for (int i = 0; i < 3; i++) {
      Future.all(send(List.of(delivery()))).await(10, TimeUnit.SECONDS);
    }
    assertThat(transactions()).isEqualTo(3);
  }
}
