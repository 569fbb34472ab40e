package io.kychub.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.Addresses;
import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.InboundDelivery;
import io.kychub.model.KycState;
import io.kychub.model.KycStatus;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.StatusChange;
import io.kychub.model.StatusChangedEvent;
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
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReconcilerStoreTest {

  private static Vertx vertx;
  private static Pool pool;
  private static KycStore store;
  private static ReconcilerVerticle reconciler;
  private static final List<StatusChangedEvent> published = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    String url = TestDatabase.freshDatabaseUrl(ReconcilerStoreTest.class);
    vertx = Vertx.vertx();
    Database.migrate(vertx, url).await(60, TimeUnit.SECONDS);
    pool = Database.pool(vertx, url, 8);
    for (String tenant : List.of("acme", "globex")) {
      sql("INSERT INTO tenants (id, name) VALUES ($1, $1)", tenant);
      sql("INSERT INTO tenant_sequences (tenant_id) VALUES ($1)", tenant);
    }
    store = new KycStore(pool);
    reconciler = new ReconcilerVerticle(new DecisionPath(vertx, store), 32, 0, new SimpleMeterRegistry());
    vertx.deployVerticle(reconciler).await(10, TimeUnit.SECONDS);
    vertx.eventBus().<StatusChangedEvent>consumer(Addresses.EVENTS, m -> published.add(m.body()));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static List<Row> sql(String statement, Object... params) throws Exception {
    List<Row> rows = new ArrayList<>();
    pool.preparedQuery(statement).execute(Tuple.wrap(params)).await(10, TimeUnit.SECONDS).forEach(rows::add);
    return rows;
  }

  private static long storeDelivery(String tenant, String key) throws Exception {
    InboxStore inbox = new InboxStore(pool, 16, 1);
    return inbox.append(new InboxStore.Entry(tenant, "sovera", key, Instant.now(), new JsonObject(),
        "{}".getBytes(StandardCharsets.UTF_8))).await(10, TimeUnit.SECONDS).id();
  }

  private static CanonicalUpdate update(String customer, KycStatus status, Instant at) {
    return new CanonicalUpdate(customer, SubjectKind.CUSTOMER, status, DecidedBy.PROVIDER,
        status == KycStatus.REJECTED ? Reason.of(ReasonCode.AML_HIT, "AML checks rejected") : null, at);
  }

  private static int reconcile(UpdateBatch batch) throws Exception {
    return vertx.eventBus().<Integer>request(Addresses.RECONCILE, batch).await(10, TimeUnit.SECONDS).body();
  }

  @Test
  void aDeliveryIsAppliedExactlyOnceEvenWhenSentTwice() throws Exception {
    long id = storeDelivery("acme", "once-1");
    UpdateBatch batch = UpdateBatch.ofDelivery(id, "acme", "sovera", Instant.now(),
        List.of(update("c-once", KycStatus.VERIFIED, Instant.parse("2026-03-12T14:22:22Z"))));
    assertThat(reconcile(batch)).isEqualTo(1);
    assertThat(reconcile(batch)).isZero();
    assertThat(sql("SELECT count(*) FROM events WHERE tenant_id = 'acme' AND customer_id = 'c-once'").get(0).getLong(0))
        .isEqualTo(1);
    assertThat(sql("SELECT applied_at FROM inbox WHERE id = $1", id).get(0).getValue(0)).isNotNull();
    assertThat(store.find("acme", "c-once").await(5, TimeUnit.SECONDS).orElseThrow().status()).isEqualTo(KycStatus.VERIFIED);
  }

  @Test
  void concurrentDeliveriesGetAGaplessStrictlyIncreasingTenantSequence() throws Exception {
    long before = sql("SELECT last_seq FROM tenant_sequences WHERE tenant_id = 'globex'").get(0).getLong(0);
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      long id = storeDelivery("globex", "seq-" + i);
      all.add(vertx.eventBus().request(Addresses.RECONCILE, UpdateBatch.ofDelivery(id, "globex", "sovera", Instant.now(),
          List.of(update("c-seq-" + (i % 7), KycStatus.values()[i % 6], null)))));
    }
    Future.all(all).await(30, TimeUnit.SECONDS);
    List<Long> seqs = new ArrayList<>();
    for (Row row : sql("SELECT seq, payload FROM events WHERE tenant_id = 'globex' AND seq > $1 ORDER BY seq", before)) {
      seqs.add(row.getLong(0));
      assertThat(((JsonObject) row.getValue(1)).getString("id")).isEqualTo(Long.toString(row.getLong(0)));
    }
    assertThat(seqs).isNotEmpty();
    for (int i = 0; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(before + 1 + i);
    }
  }

  @Test
  void aFailingDeliveryDoesNotHoldBackTheOthersQueuedWithIt() throws Exception {
    List<Future<?>> replies = new ArrayList<>();
    StringBuilder random = new StringBuilder();
    while (random.length() < 10_000) {
      random.append(UUID.randomUUID());
    }
    // Incompressible and over the b-tree's row limit: PostgreSQL refuses this customer id.
    String tooLongForAnIndex = random.toString();
    for (int i = 0; i < 12; i++) {
      String customer = i == 5 ? tooLongForAnIndex : "group-" + i;
      long id = storeDelivery("acme", "group-key-" + i);
      replies.add(vertx.eventBus().request(Addresses.RECONCILE, UpdateBatch.ofDelivery(id, "acme", "sovera", Instant.now(),
          List.of(update(customer, KycStatus.VERIFIED, null)))));
    }
    Future.join(replies).otherwiseEmpty().await(30, TimeUnit.SECONDS);
    assertThat(replies.get(5).failed()).isTrue();
    for (int i = 0; i < 12; i++) {
      if (i != 5) {
        assertThat(replies.get(i).succeeded()).as("delivery %d", i).isTrue();
        assertThat(store.find("acme", "group-" + i).await(5, TimeUnit.SECONDS).orElseThrow().status())
            .isEqualTo(KycStatus.VERIFIED);
      }
    }
    assertThat(sql("SELECT count(*) FROM inbox WHERE idempotency_key = 'group-key-5' AND applied_at IS NULL").get(0).getLong(0))
        .isEqualTo(1);
  }

  @Test
  void providerTextWithANulCharacterIsStoredWithoutIt() throws Exception {
    long id = storeDelivery("acme", "nul-1");
    CanonicalUpdate update = new CanonicalUpdate("c-nul", SubjectKind.CUSTOMER, KycStatus.REJECTED, DecidedBy.PROVIDER,
        Reason.of(ReasonCode.OTHER, "bad\u0000text"), null);
    assertThat(reconcile(UpdateBatch.ofDelivery(id, "acme", "sovera", Instant.now(), List.of(update)))).isEqualTo(1);
    assertThat(store.find("acme", "c-nul").await(5, TimeUnit.SECONDS).orElseThrow().reason().detail()).isEqualTo("badtext");
  }

  @Test
  void appliedEventsArePublishedWithPreviousStatus() throws Exception {
    Instant t1 = Instant.parse("2026-03-12T14:00:00Z");
    reconcile(UpdateBatch.ofDelivery(storeDelivery("acme", "pub-1"), "acme", "sovera", Instant.now(),
        List.of(update("c-pub", KycStatus.PROCESSING, t1))));
    reconcile(UpdateBatch.ofDelivery(storeDelivery("acme", "pub-2"), "acme", "sovera", Instant.now(),
        List.of(update("c-pub", KycStatus.REJECTED, t1.plusSeconds(60)))));
    List<StatusChangedEvent> mine = waitForEvents("c-pub", 2);
    assertThat(mine.get(1).previousStatus()).isEqualTo(KycStatus.PROCESSING);
    assertThat(mine.get(1).reason().code()).isEqualTo(ReasonCode.AML_HIT);
    assertThat(mine.get(1).id()).isGreaterThan(mine.get(0).id());
    assertThat(mine.get(1).occurredAt()).isEqualTo(t1.plusSeconds(60));
  }

  @Test
  void lateProcessingAfterRejectionChangesNothing() throws Exception {
    Instant t1 = Instant.parse("2026-03-12T15:00:00Z");
    reconcile(UpdateBatch.ofDelivery(storeDelivery("acme", "late-1"), "acme", "sovera", Instant.now(),
        List.of(update("c-late", KycStatus.REJECTED, t1))));
    int events = reconcile(UpdateBatch.ofDelivery(storeDelivery("acme", "late-2"), "acme", "sovera", Instant.now(),
        List.of(update("c-late", KycStatus.PROCESSING, t1.minusSeconds(60)))));
    assertThat(events).isZero();
    assertThat(store.find("acme", "c-late").await(5, TimeUnit.SECONDS).orElseThrow().status()).isEqualTo(KycStatus.REJECTED);
    assertThat(sql("SELECT applied_at FROM inbox WHERE idempotency_key = 'late-2'").get(0).getValue(0)).isNotNull();
  }

  @Test
  void providerReferenceResolvesToTheCustomerThatStartedTheVerification() throws Exception {
    sql("INSERT INTO customers (tenant_id, id) VALUES ('acme', 'c-ref')");
    UUID verification = UUID.randomUUID();
    sql("INSERT INTO verifications (id, tenant_id, customer_id, provider, provider_ref, status, decided_by) "
        + "VALUES ($1, 'acme', 'c-ref', 'ondato', 'idv-123', 'pending', 'provider')", verification);
    reconcile(UpdateBatch.ofDelivery(storeDelivery("acme", "ref-1"), "acme", "ondato", Instant.now(), List.of(
        new CanonicalUpdate("idv-123", SubjectKind.PROVIDER_REFERENCE, KycStatus.VERIFIED, DecidedBy.PROVIDER, null, null))));
    var state = store.find("acme", "c-ref").await(5, TimeUnit.SECONDS).orElseThrow();
    assertThat(state.status()).isEqualTo(KycStatus.VERIFIED);
    assertThat(state.verificationId()).isEqualTo(verification.toString());
    assertThat(store.find("acme", "idv-123").await(5, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void unknownSubjectCreatesTheCustomerSoNothingIsDropped() throws Exception {
    reconcile(UpdateBatch.ofDelivery(storeDelivery("acme", "unknown-1"), "acme", "ondato", Instant.now(), List.of(
        new CanonicalUpdate("idv-unknown", SubjectKind.PROVIDER_REFERENCE, KycStatus.PROCESSING, DecidedBy.PROVIDER, null, null))));
    assertThat(store.find("acme", "idv-unknown").await(5, TimeUnit.SECONDS).orElseThrow().status())
        .isEqualTo(KycStatus.PROCESSING);
    assertThat(sql("SELECT provider_ref FROM verifications WHERE customer_id = 'idv-unknown'").get(0).getString(0))
        .isEqualTo("idv-unknown");
  }

  @Test
  void sweepRedrivesOnlyOldUnappliedDeliveriesAndClaimsThem() throws Exception {
    Set<Long> redriven = ConcurrentHashMap.newKeySet();
    var adapter = vertx.eventBus().<InboundDelivery>consumer(Addresses.adapter("sweeptest"), m -> {
      redriven.add(m.body().deliveryId());
      m.reply(0);
    });
    adapter.completion().await(5, TimeUnit.SECONDS);
    InboxStore inbox = new InboxStore(pool, 16, 1);
    long old = inbox.append(new InboxStore.Entry("acme", "sweeptest", "sw-old", Instant.now().minusSeconds(50),
        new JsonObject().put("content-type", "application/json"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
        .await(5, TimeUnit.SECONDS).id();
    long fresh = inbox.append(new InboxStore.Entry("acme", "sweeptest", "sw-fresh", Instant.now(), new JsonObject(),
        "{}".getBytes(StandardCharsets.UTF_8))).await(5, TimeUnit.SECONDS).id();
    long applied = inbox.append(new InboxStore.Entry("acme", "sweeptest", "sw-applied", Instant.now().minusSeconds(60),
        new JsonObject(), "{}".getBytes(StandardCharsets.UTF_8))).await(5, TimeUnit.SECONDS).id();
    sql("UPDATE inbox SET applied_at = now() WHERE id = $1", applied);

    java.util.concurrent.atomic.AtomicLong backlog = new java.util.concurrent.atomic.AtomicLong(1);
    InboxSweepVerticle sweeper = new InboxSweepVerticle(inbox, 3_600_000, 5_000, backlog::get, new SimpleMeterRegistry());
    vertx.deployVerticle(sweeper).await(5, TimeUnit.SECONDS);
    // While this node still has deliveries of its own queued, a minute-old one is young enough to be among them.
    assertThat(sweeper.sweep().await(10, TimeUnit.SECONDS)).isZero();
    assertThat(redriven).isEmpty();
    backlog.set(0);
    int first = sweeper.sweep().await(10, TimeUnit.SECONDS);
    int second = sweeper.sweep().await(10, TimeUnit.SECONDS);
    assertThat(redriven).contains(old).doesNotContain(fresh, applied);
    assertThat(first).isGreaterThanOrEqualTo(1);
    assertThat(second).isZero();
    assertThat(sql("SELECT attempts FROM inbox WHERE id = $1", old).get(0).getInteger(0)).isEqualTo(1);
    adapter.unregister().await(5, TimeUnit.SECONDS);
  }

  @Test
  void duplicateKeysInOneBatchAndAcrossBatchesStoreOneRow() throws Exception {
    InboxStore inbox = new InboxStore(pool, 64, 1);
    List<Future<InboxStore.Stored>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      results.add(inbox.append(new InboxStore.Entry("acme", "ripio", "dup-key", Instant.now(), new JsonObject(),
          ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))));
    }
    Future.all(results).await(10, TimeUnit.SECONDS);
    long stored = results.stream().filter(f -> !f.result().duplicate()).count();
    assertThat(stored).isEqualTo(1);
    assertThat(inbox.append(new InboxStore.Entry("acme", "ripio", "dup-key", Instant.now(), new JsonObject(),
        "{}".getBytes(StandardCharsets.UTF_8))).await(10, TimeUnit.SECONDS).duplicate()).isTrue();
    assertThat(sql("SELECT count(*) FROM inbox WHERE idempotency_key = 'dup-key'").get(0).getLong(0)).isEqualTo(1);
  }

  /**
   * The set-based group apply must end exactly where applying the same deliveries one at a time
   * ends: same states, same verifications, same events in the same order. Seeded random traffic
   * over a few customers, by customer id and by provider reference (known and unknown), several
   * providers, times missing, older and newer, and a delivery that appears twice.
   */
  @Test
  void aGroupEndsExactlyWhereOneDeliveryAtATimeEnds() throws Exception {
    seedTenant("one-by-one");
    seedTenant("grouped");
    List<UpdateBatch> solo = deliveries("one-by-one", 20261122);
    List<UpdateBatch> grouped = deliveries("grouped", 20261122);
    grouped.add(60, grouped.get(17));
    int soloEvents = applyOneByOne(solo);
    List<List<StatusChangedEvent>> groupEvents = applyInGroupsOf(50, grouped);
    assertThat(groupEvents.get(60)).as("the repeated delivery applies once").isEmpty();
    assertThat(groupEvents.stream().mapToInt(List::size).sum()).isEqualTo(soloEvents).isGreaterThan(20);
    assertSameOutcome("grouped", "one-by-one", soloEvents, groupEvents.stream().flatMap(List::stream).toList());
  }

  /**
   * A group may hold several tenants' deliveries (the reconciler puts whatever is ready into one
   * transaction). Three tenants with the same customer ids and the same provider reference, their
   * traffic interleaved into mixed groups, must each end where the tenant ends when its deliveries
   * are applied alone: nothing crosses from one tenant to another, and each tenant's sequence
   * stays gapless in delivery order.
   */
  @Test
  void aGroupOfSeveralTenantsEndsWhereEachTenantAloneEnds() throws Exception {
    List<String> tenants = List.of("a", "b", "c");
    List<List<UpdateBatch>> mixedPerTenant = new ArrayList<>();
    Map<String, Integer> soloEvents = new HashMap<>();
    for (int t = 0; t < tenants.size(); t++) {
      seedTenant("solo-" + tenants.get(t));
      seedTenant("mixed-" + tenants.get(t));
      soloEvents.put(tenants.get(t), applyOneByOne(deliveries("solo-" + tenants.get(t), 7 + t)));
      mixedPerTenant.add(deliveries("mixed-" + tenants.get(t), 7 + t));
    }
    List<UpdateBatch> mixed = new ArrayList<>();
    for (int i = 0; i < mixedPerTenant.get(0).size(); i++) {
      for (List<UpdateBatch> tenantTraffic : mixedPerTenant) {
        mixed.add(tenantTraffic.get(i));
      }
    }
    List<StatusChangedEvent> events = applyInGroupsOf(45, mixed).stream().flatMap(List::stream).toList();
    for (String t : tenants) {
      assertThat(soloEvents.get(t)).isGreaterThan(20);
      assertSameOutcome("mixed-" + t, "solo-" + t, soloEvents.get(t),
          events.stream().filter(e -> e.tenantId().equals("mixed-" + t)).toList());
    }
  }

  /** A tenant with one customer and a verification known by its provider reference. */
  private static void seedTenant(String tenant) throws Exception {
    sql("INSERT INTO tenants (id, name) VALUES ($1, $1)", tenant);
    sql("INSERT INTO tenant_sequences (tenant_id) VALUES ($1)", tenant);
    sql("INSERT INTO customers (tenant_id, id) VALUES ($1, 'g-1')", tenant);
    sql("INSERT INTO verifications (id, tenant_id, customer_id, provider, provider_ref, status, decided_by) "
        + "VALUES ($1, $2, 'g-1', 'ondato', 'known-ref', 'pending', 'provider')", UUID.randomUUID(), tenant);
  }

  /** 120 stored deliveries of seeded random traffic for {@code tenant}; the same seed makes the same traffic. */
  private static List<UpdateBatch> deliveries(String tenant, long seed) throws Exception {
    List<String> customers = List.of("g-1", "g-2", "g-3", "g-4");
    List<String> providers = List.of("sovera", "ondato", "ripio");
    java.util.Random random = new java.util.Random(seed);
    Instant base = Instant.parse("2026-05-01T10:00:00Z");
    Instant received = Instant.parse("2026-05-01T12:00:00Z");
    List<UpdateBatch> batches = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String provider = providers.get(random.nextInt(providers.size()));
      int pick = random.nextInt(10);
      String subject = pick == 0 ? "known-ref" : pick == 1 ? "unknown-ref-" + random.nextInt(2) : customers.get(random.nextInt(4));
      SubjectKind kind = pick <= 1 ? SubjectKind.PROVIDER_REFERENCE : SubjectKind.CUSTOMER;
      if (kind == SubjectKind.PROVIDER_REFERENCE) {
        provider = "ondato";
      }
      KycStatus status = List.of(KycStatus.PENDING, KycStatus.PROCESSING, KycStatus.UNDER_REVIEW, KycStatus.VERIFIED,
          KycStatus.REJECTED).get(random.nextInt(5));
      Instant at = random.nextInt(4) == 0 ? null : base.plusSeconds(random.nextInt(600));
      List<CanonicalUpdate> updates = new ArrayList<>();
      updates.add(new CanonicalUpdate(subject, kind, status, DecidedBy.PROVIDER,
          status == KycStatus.REJECTED ? Reason.of(ReasonCode.values()[random.nextInt(3)], "r" + random.nextInt(2)) : null, at));
      if (random.nextInt(8) == 0) {
        updates.add(update(customers.get(random.nextInt(4)), KycStatus.VERIFIED, null));
      }
      batches.add(UpdateBatch.ofDelivery(storeDelivery(tenant, "eq-" + i), tenant, provider, received, updates));
    }
    return batches;
  }

  private static boolean rules(KycState current, StatusChange change) {
    return TransitionRules.decide(current, change) == TransitionRules.Verdict.APPLY;
  }

  /** One batch in a transaction of its own, as the reconciler's one-by-one fallback does. */
  private static Future<List<StatusChangedEvent>> applyAlone(UpdateBatch batch) {
    return store.applyAll(List.of(batch), ReconcilerStoreTest::rules).map(applied -> applied.events().get(0));
  }

  private static int applyOneByOne(List<UpdateBatch> batches) throws Exception {
    int events = 0;
    for (UpdateBatch batch : batches) {
      events += applyAlone(batch).await(10, TimeUnit.SECONDS).size();
    }
    return events;
  }

  private static List<List<StatusChangedEvent>> applyInGroupsOf(int size, List<UpdateBatch> batches) throws Exception {
    List<List<StatusChangedEvent>> events = new ArrayList<>();
    for (int from = 0; from < batches.size(); from += size) {
      events.addAll(store.applyAll(batches.subList(from, Math.min(batches.size(), from + size)), ReconcilerStoreTest::rules)
          .await(10, TimeUnit.SECONDS).events());
    }
    return events;
  }

  /** {@code tenant} ended with the same states, verifications and event log as {@code reference}. */
  private static void assertSameOutcome(String tenant, String reference, int referenceEvents, List<StatusChangedEvent> returned)
      throws Exception {
    String states = "SELECT id, status, previous_status, decided_by, reason_code, reason_detail, provider, status_occurred_at, "
        + "(SELECT provider_ref FROM verifications v WHERE v.id = c.verification_id) FROM customers c WHERE tenant_id = $1 ORDER BY id";
    assertThat(rowsOf(sql(states, tenant))).isEqualTo(rowsOf(sql(states, reference)));
    String verifications = "SELECT customer_id, provider, provider_ref, status, decided_by, reason_code, reason_detail, "
        + "status_occurred_at, decided_at IS NULL FROM verifications WHERE tenant_id = $1 ORDER BY customer_id, provider, provider_ref";
    assertThat(rowsOf(sql(verifications, tenant))).isEqualTo(rowsOf(sql(verifications, reference)));
    String events = "SELECT seq, customer_id, payload->>'status', payload->>'previousStatus', payload->>'provider', "
        + "payload->'reason', payload->>'occurredAt', payload->>'id' = seq::text FROM events WHERE tenant_id = $1 ORDER BY seq";
    assertThat(rowsOf(sql(events, tenant))).isEqualTo(rowsOf(sql(events, reference))).hasSize(referenceEvents);
    assertThat(returned.stream().map(StatusChangedEvent::id).toList())
        .isEqualTo(sql("SELECT seq FROM events WHERE tenant_id = $1 ORDER BY seq", tenant).stream().map(r -> r.getLong(0)).toList());
    assertThat(returned).allMatch(e -> e.tenantId().equals(tenant));
    assertThat(sql("SELECT count(*) FROM inbox WHERE tenant_id = $1 AND applied_at IS NULL", tenant).get(0).getLong(0)).isZero();
  }

  @Test
  void aCustomerCreatedConcurrentlyFailsTheGroupAndTheRetryAppliesOnTopOfIt() throws Exception {
    io.vertx.sqlclient.SqlConnection other = pool.getConnection().await(5, TimeUnit.SECONDS);
    io.vertx.sqlclient.Transaction tx = other.begin().await(5, TimeUnit.SECONDS);
    other.preparedQuery("INSERT INTO customers (tenant_id, id, status, decided_by, provider) "
        + "VALUES ('acme', 'c-race', 'processing', 'provider', 'sovera')").execute().await(5, TimeUnit.SECONDS);
    UpdateBatch batch = UpdateBatch.ofDelivery(storeDelivery("acme", "race-1"), "acme", "sovera", Instant.now(),
        List.of(update("c-race", KycStatus.PENDING, null)));
    Future<List<StatusChangedEvent>> first = applyAlone(batch);
    Thread.sleep(300);
    assertThat(first.isComplete()).as("waits for the other transaction's customer").isFalse();
    tx.commit().await(5, TimeUnit.SECONDS);
    other.close();
    assertThat(first.otherwiseEmpty().await(10, TimeUnit.SECONDS)).isNull();
    assertThat(first.cause()).hasMessageContaining("created concurrently");
    // The retry sees the customer the other transaction made: pending does not replace processing.
    assertThat(applyAlone(batch).await(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(store.find("acme", "c-race").await(5, TimeUnit.SECONDS).orElseThrow().status()).isEqualTo(KycStatus.PROCESSING);
    assertThat(sql("SELECT applied_at FROM inbox WHERE idempotency_key = 'race-1'").get(0).getValue(0)).isNotNull();
  }

  private static List<String> rowsOf(List<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.getValue(i)).append('|');
      }
      out.add(line.toString());
    }
    return out;
  }

  private static List<StatusChangedEvent> waitForEvents(String customer, int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5000;
    List<StatusChangedEvent> mine;
    do {
      mine = published.stream().filter(e -> e.customerId().equals(customer)).toList();
      if (mine.size() >= count) {
        return mine;
      }
      Thread.sleep(20);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError("expected " + count + " events for " + customer + ", got " + mine);
  }
}
