package io.kychub.store;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.KycState;
import io.kychub.model.Reason;
import io.kychub.model.StatusChangedEvent;
import io.kychub.model.SubjectKind;
import io.kychub.model.UpdateBatch;
import io.kychub.model.VerificationIds;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Applies a group of deliveries, of one tenant or of several, inside one transaction with a fixed
 * number of round trips, whatever the group's size: the rules run in memory, in delivery order,
 * against the customers' states as locked at the start, and the outcome is written with one
 * set-based statement per table. Every statement takes its keys as (tenant, id) arrays, so a
 * node with many quiet tenants still applies many deliveries per commit.
 *
 * <ol>
 *   <li>claim the deliveries and resolve provider references (pipelined);
 *   <li>lock every existing customer the group is about, in (tenant, id) order (so two groups
 *       never deadlock on customers), and read the customers' latest verifications per provider
 *       (pipelined);
 *   <li>decide every update in order, each against the state the previous ones left;
 *   <li>insert new customers and verifications with their final state, update the existing ones,
 *       take each tenant's sequence numbers and insert the events (pipelined; the sequence rows
 *       are locked last and held only until the commit, so a tenant's events commit in sequence
 *       order). A customer that another transaction created meanwhile fails the group (its
 *       deliveries are then retried one by one, and find the customer).
 * </ol>
 *
 * The result is the same as applying each update on its own, one statement after another.
 */
final class GroupApply {

  static final String CLAIM =
      "UPDATE inbox SET applied_at = now(), claimed_until = NULL WHERE id = ANY($1) AND applied_at IS NULL RETURNING id";
  static final String RESOLVE_REFS =
      "SELECT v.tenant_id, v.provider, v.provider_ref, v.customer_id, v.id "
          + "FROM unnest($1::text[], $2::text[], $3::text[]) AS k(t, p, r) "
          + "JOIN verifications v ON v.tenant_id = k.t AND v.provider = k.p AND v.provider_ref = k.r "
          + "AND v.provider_ref IS NOT NULL";
  static final String LOCK_CUSTOMERS =
      "SELECT " + KycStore.STATE_COLUMNS + " FROM unnest($1::text[], $2::text[]) AS k(t, i) "
          + "JOIN customers c ON c.tenant_id = k.t AND c.id = k.i ORDER BY c.tenant_id, c.id FOR UPDATE OF c";
  static final String INSERT_CUSTOMERS =
      "INSERT INTO customers (tenant_id, id, status, previous_status, decided_by, reason_code, reason_detail, provider, "
          + "verification_id, status_occurred_at) SELECT u.* FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
          + "$5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::timestamptz[]) AS u "
          + "ON CONFLICT (tenant_id, id) DO NOTHING RETURNING id";
  static final String LATEST_VERIFICATIONS =
      "SELECT DISTINCT ON (v.tenant_id, v.customer_id, v.provider) v.tenant_id, v.customer_id, v.provider, v.id "
          + "FROM unnest($1::text[], $2::text[]) AS k(t, c) JOIN verifications v ON v.tenant_id = k.t AND v.customer_id = k.c "
          + "ORDER BY v.tenant_id, v.customer_id, v.provider, v.created_at DESC";
  static final String INSERT_VERIFICATIONS =
      "INSERT INTO verifications (id, tenant_id, customer_id, provider, provider_ref, status, decided_by, reason_code, "
          + "reason_detail, status_occurred_at, decided_at) SELECT v.id, v.tenant_id, v.customer_id, v.provider, v.ref, "
          + "v.status, v.decided_by, v.reason_code, v.reason_detail, v.occurred_at, CASE WHEN v.decided THEN now() END "
          + "FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], "
          + "$9::text[], $10::timestamptz[], $11::bool[]) "
          + "AS v(id, tenant_id, customer_id, provider, ref, status, decided_by, reason_code, reason_detail, occurred_at, decided)";
  static final String UPDATE_VERIFICATIONS =
      "UPDATE verifications v SET status = u.status, decided_by = u.decided_by, reason_code = u.reason_code, "
          + "reason_detail = u.reason_detail, status_occurred_at = u.occurred_at, updated_at = now(), "
          + "decided_at = CASE WHEN u.decided THEN now() ELSE v.decided_at END "
          + "FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::bool[]) "
          + "AS u(id, status, decided_by, reason_code, reason_detail, occurred_at, decided) WHERE v.id = u.id";
  static final String UPDATE_CUSTOMERS =
      "UPDATE customers c SET status = u.status, previous_status = u.previous_status, decided_by = u.decided_by, "
          + "reason_code = u.reason_code, reason_detail = u.reason_detail, provider = u.provider, "
          + "verification_id = u.verification_id, status_occurred_at = u.occurred_at, updated_at = now() "
          + "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], "
          + "$9::uuid[], $10::timestamptz[]) AS u(tenant_id, id, status, previous_status, decided_by, reason_code, "
          + "reason_detail, provider, verification_id, occurred_at) WHERE c.tenant_id = u.tenant_id AND c.id = u.id";
  /**
   * Takes {@code n} sequence numbers from each tenant's row (the tenants in id order) and inserts
   * the events; {@code k} numbers an event within its tenant, from 1.
   */
  static final String INSERT_EVENTS =
      "WITH s AS (UPDATE tenant_sequences q SET last_seq = q.last_seq + n.n FROM unnest($1::text[], $2::bigint[]) AS n(t, n) "
          + "WHERE q.tenant_id = n.t RETURNING q.tenant_id, q.last_seq - n.n AS base) "
          + "INSERT INTO events (tenant_id, seq, customer_id, payload, recorded_at) "
          + "SELECT e.t, s.base + e.k, e.customer_id, jsonb_set(e.payload::jsonb, '{id}', to_jsonb((s.base + e.k)::text)), "
          + "e.recorded_at FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::timestamptz[]) "
          + "AS e(t, k, customer_id, payload, recorded_at) JOIN s ON s.tenant_id = e.t RETURNING tenant_id, seq";

  private final SqlConnection conn;
  private final List<UpdateBatch> batches;
  private final KycStore.Rules rules;

  /** Verifications found by provider reference (tenant, provider, reference), and the ones this group creates. */
  private final Map<String, Subject> refs = new HashMap<>();
  /** Current state per customer (tenant, id), as locked and then as the group's updates change it. */
  private final Map<String, KycState> states = new HashMap<>();
  /** Latest verification per (tenant, customer, provider), including the ones this group creates. */
  private final Map<String, UUID> latest = new HashMap<>();
  /** Customers this group creates: (tenant, id) -> {tenant, id}, in key order. */
  private final Map<String, String[]> created = new TreeMap<>();

  /** Verifications this group creates: id -> tenant, customer, provider, provider reference. */
  private final Map<UUID, String[]> newVerifications = new LinkedHashMap<>();
  private final Map<UUID, Object[]> verificationWrites = new LinkedHashMap<>();
  /** Customer rows to write, keyed by (tenant, id); each row starts with the tenant and the id. */
  private final Map<String, Object[]> customerWrites = new LinkedHashMap<>();
  private final List<StatusChangedEvent> drafts = new ArrayList<>();

  GroupApply(SqlConnection conn, List<UpdateBatch> batches, KycStore.Rules rules) {
    this.conn = conn;
    this.batches = batches;
    this.rules = rules;
  }

  Future<List<List<StatusChangedEvent>>> run() {
    return Future.all(claim(), resolveRefs())
        .compose(f -> {
          Set<Long> fresh = f.resultAt(0);
          List<UpdateBatch> toApply = new ArrayList<>();
          for (UpdateBatch b : batches) {
            // A delivery that appears twice in the group is applied once (the first time).
            toApply.add(b.deliveryId() <= 0 || fresh.remove(b.deliveryId()) ? b : null);
          }
          return lockCustomers(toApply).map(v -> toApply);
        })
        .compose(toApply -> {
          List<List<Integer>> perBatch = decide(toApply);
          return write().map(ids -> {
            List<List<StatusChangedEvent>> result = new ArrayList<>(perBatch.size());
            for (List<Integer> indexes : perBatch) {
              List<StatusChangedEvent> numbered = new ArrayList<>(indexes.size());
              for (int i : indexes) {
                numbered.add(withId(drafts.get(i), ids[i]));
              }
              result.add(numbered);
            }
            return result;
          });
        });
  }

  private Future<Set<Long>> claim() {
    List<Long> ids = new ArrayList<>();
    for (UpdateBatch b : batches) {
      if (b.deliveryId() > 0) {
        ids.add(b.deliveryId());
      }
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture(new HashSet<>());
    }
    return conn.preparedQuery(CLAIM).execute(params((Object) ids.toArray(new Long[0]))).map(rows -> {
      Set<Long> fresh = new HashSet<>();
      rows.forEach(r -> fresh.add(r.getLong(0)));
      return fresh;
    });
  }

  private Future<Void> resolveRefs() {
    Map<String, String[]> wanted = new TreeMap<>();
    for (UpdateBatch b : batches) {
      for (CanonicalUpdate u : b.updates()) {
        if (u.subjectKind() != SubjectKind.CUSTOMER) {
          wanted.putIfAbsent(key(b.tenantId(), b.provider(), u.subject()), new String[] {b.tenantId(), b.provider(), u.subject()});
        }
      }
    }
    if (wanted.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String[]> lookups = new ArrayList<>(wanted.values());
    return conn.preparedQuery(RESOLVE_REFS)
        .execute(params(column(lookups, 0, String.class), column(lookups, 1, String.class), column(lookups, 2, String.class)))
        .map(rows -> {
          for (Row r : rows) {
            refs.put(key(r.getString(0), r.getString(1), r.getString(2)),
                new Subject(r.getString(3), r.getUUID(4), r.getString(2)));
          }
          return null;
        });
  }

  private Future<Void> lockCustomers(List<UpdateBatch> toApply) {
    TreeMap<String, String[]> customers = new TreeMap<>();
    for (UpdateBatch b : toApply) {
      if (b != null) {
        b.updates().forEach(u -> {
          String id = subjectOf(b, u).customerId();
          customers.putIfAbsent(key(b.tenantId(), id), new String[] {b.tenantId(), id});
        });
      }
    }
    if (customers.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String[]> keys = new ArrayList<>(customers.values());
    String[] tenants = column(keys, 0, String.class);
    String[] ids = column(keys, 1, String.class);
    // Pipelined: the second statement runs after the first has taken the locks, on a fresh snapshot.
    Future<RowSet<Row>> locked = conn.preparedQuery(LOCK_CUSTOMERS).execute(params(tenants, ids));
    Future<RowSet<Row>> verifications = conn.preparedQuery(LATEST_VERIFICATIONS).execute(params(tenants, ids));
    return Future.all(locked, verifications).map(v -> {
      for (Row r : locked.result()) {
        KycState state = KycStore.toState(r);
        states.put(key(state.tenantId(), state.customerId()), state);
      }
      customers.forEach((key, tenantAndId) -> {
        if (!states.containsKey(key)) {
          // New: inserted with its final state at the end (a concurrent insert of the same customer fails the group).
          created.put(key, tenantAndId);
          states.put(key, new KycState(tenantAndId[0], tenantAndId[1], null, null, null, null, null, null, null));
        }
      });
      for (Row r : verifications.result()) {
        latest.put(key(r.getString(0), r.getString(1), r.getString(2)), r.getUUID(3));
      }
      return null;
    });
  }

  /** Who an update is about: a customer id, and the verification the provider reference names. */
  private record Subject(String customerId, UUID verificationId, String providerRef) {}

  private Subject subjectOf(UpdateBatch b, CanonicalUpdate u) {
    if (u.subjectKind() == SubjectKind.CUSTOMER) {
      return new Subject(u.subject(), null, null);
    }
    Subject found = refs.get(key(b.tenantId(), b.provider(), u.subject()));
    // Unknown reference: keep the update under a customer named after it, so nothing is dropped.
    return found != null ? found : new Subject(u.subject(), null, u.subject());
  }

  /** Runs the rules over every update in order; returns, per batch, the positions of its events in {@link #drafts}. */
  private List<List<Integer>> decide(List<UpdateBatch> toApply) {
    List<List<Integer>> perBatch = new ArrayList<>(toApply.size());
    for (UpdateBatch b : toApply) {
      List<Integer> events = new ArrayList<>();
      perBatch.add(events);
      if (b == null) {
        continue;
      }
      for (CanonicalUpdate u : b.updates()) {
        Subject subject = subjectOf(b, u);
        KycState current = states.get(key(b.tenantId(), subject.customerId()));
        CanonicalUpdate ordered = u.orderedAsOf(b.receivedAt());
        if (!rules.shouldApply(current, ordered)) {
          continue;
        }
        UUID verificationId = verificationFor(b.tenantId(), b.provider(), subject, current);
        events.add(drafts.size());
        drafts.add(record(b, u, ordered.occurredAt(), current, verificationId));
      }
    }
    return perBatch;
  }

  private UUID verificationFor(String tenant, String provider, Subject subject, KycState current) {
    if (subject.verificationId() != null) {
      return subject.verificationId();
    }
    if (provider.equals(current.provider()) && current.verificationId() != null) {
      return UUID.fromString(current.verificationId());
    }
    String key = key(tenant, current.customerId(), provider);
    UUID id = latest.get(key);
    if (id == null) {
      id = VerificationIds.next();
      latest.put(key, id);
      newVerifications.put(id, new String[] {tenant, current.customerId(), provider, subject.providerRef()});
      if (subject.providerRef() != null) {
        refs.put(key(tenant, provider, subject.providerRef()), new Subject(current.customerId(), id, subject.providerRef()));
      }
    }
    return id;
  }

  /** @param orderingTime the provider's time as the rules trust it (the state keeps it for the next update) */
  private StatusChangedEvent record(UpdateBatch batch, CanonicalUpdate update, Instant orderingTime, KycState current,
      UUID verificationId) {
    StatusChangedEvent draft = KycStore.draft(batch, update, current, verificationId);
    Instant providerTime = orderingTime == null ? null : orderingTime.truncatedTo(ChronoUnit.MICROS);
    Reason reason = draft.reason();
    String code = reason == null ? null : reason.code().name();
    String detail = reason == null ? null : reason.detail();
    OffsetDateTime providerTimestamp = providerTime == null ? null : providerTime.atOffset(ZoneOffset.UTC);

    Object[] previous = verificationWrites.get(verificationId);
    boolean decided = update.status().isOutcome() || (previous != null && (Boolean) previous[6]);
    verificationWrites.put(verificationId, new Object[] {verificationId, update.status().wire(), update.decidedBy().wire(),
        code, detail, providerTimestamp, decided});
    String tenant = batch.tenantId();
    customerWrites.put(key(tenant, current.customerId()), new Object[] {tenant, current.customerId(), update.status().wire(),
        current.status() == null ? null : current.status().wire(), update.decidedBy().wire(), code, detail,
        batch.provider(), verificationId, providerTimestamp});
    states.put(key(tenant, current.customerId()), new KycState(tenant, current.customerId(), update.status(),
        update.decidedBy(), reason, batch.provider(), verificationId.toString(), providerTime, draft.recordedAt()));
    return draft;
  }

  /**
   * Writes the group's outcome, new rows with their final state (one tuple each, not an insert
   * and then an update); returns each draft's sequence number, by position.
   */
  private Future<long[]> write() {
    List<Future<?>> writes = new ArrayList<>();
    if (!created.isEmpty()) {
      List<Object[]> rows = new ArrayList<>(created.size());
      created.forEach((key, tenantAndId) -> {
        Object[] row = customerWrites.remove(key);
        rows.add(row != null ? row : new Object[] {tenantAndId[0], tenantAndId[1], null, null, null, null, null, null, null, null});
      });
      int expected = rows.size();
      writes.add(conn.preparedQuery(INSERT_CUSTOMERS).execute(customerColumns(rows))
          .compose(inserted -> inserted.rowCount() == expected ? Future.succeededFuture()
              : Future.failedFuture(new IllegalStateException("a customer of this group was created concurrently"))));
    }
    if (!customerWrites.isEmpty()) {
      writes.add(conn.preparedQuery(UPDATE_CUSTOMERS).execute(customerColumns(new ArrayList<>(customerWrites.values()))));
    }
    if (!newVerifications.isEmpty()) {
      List<Object[]> rows = new ArrayList<>(newVerifications.size());
      newVerifications.forEach((id, about) -> {
        Object[] state = verificationWrites.remove(id);
        rows.add(new Object[] {id, about[0], about[1], about[2], about[3], state[1], state[2], state[3], state[4], state[5],
            state[6]});
      });
      writes.add(conn.preparedQuery(INSERT_VERIFICATIONS).execute(params(
          column(rows, 0, UUID.class), column(rows, 1, String.class), column(rows, 2, String.class),
          column(rows, 3, String.class), column(rows, 4, String.class), column(rows, 5, String.class),
          column(rows, 6, String.class), column(rows, 7, String.class), column(rows, 8, String.class),
          column(rows, 9, OffsetDateTime.class), column(rows, 10, Boolean.class))));
    }
    if (!verificationWrites.isEmpty()) {
      List<Object[]> rows = new ArrayList<>(verificationWrites.values());
      writes.add(conn.preparedQuery(UPDATE_VERIFICATIONS).execute(params(
          column(rows, 0, UUID.class), column(rows, 1, String.class), column(rows, 2, String.class),
          column(rows, 3, String.class), column(rows, 4, String.class), column(rows, 5, OffsetDateTime.class),
          column(rows, 6, Boolean.class))));
    }
    int n = drafts.size();
    if (n == 0) {
      return Future.all(writes).map(new long[0]);
    }
    // Each event's number within its tenant (from 1), and how many numbers each tenant gives.
    TreeMap<String, Long> perTenant = new TreeMap<>();
    String[] tenants = new String[n];
    Long[] within = new Long[n];
    String[] customers = new String[n];
    String[] payloads = new String[n];
    OffsetDateTime[] recorded = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      StatusChangedEvent e = drafts.get(i);
      tenants[i] = e.tenantId();
      within[i] = perTenant.merge(e.tenantId(), 1L, Long::sum);
      customers[i] = e.customerId();
      payloads[i] = e.toJson().encode();
      recorded[i] = e.recordedAt().atOffset(ZoneOffset.UTC);
    }
    // Issued after the other writes on the same connection: the sequence rows are locked last.
    Future<RowSet<Row>> events = conn.preparedQuery(INSERT_EVENTS).execute(params(
        perTenant.keySet().toArray(new String[0]), perTenant.values().toArray(new Long[0]),
        tenants, within, customers, payloads, recorded));
    writes.add(events);
    return Future.all(writes).compose(v -> {
      RowSet<Row> rows = events.result();
      if (rows.size() != n) {
        return Future.failedFuture(new IllegalStateException("a tenant of this group has no event sequence"));
      }
      // The numbers a tenant got are consecutive: the lowest one less one is its base.
      Map<String, Long> base = new HashMap<>();
      for (Row r : rows) {
        base.merge(r.getString(0), r.getLong(1) - 1, Math::min);
      }
      long[] ids = new long[n];
      for (int i = 0; i < n; i++) {
        ids[i] = base.get(tenants[i]) + within[i];
      }
      return Future.succeededFuture(ids);
    });
  }

  /** The customer columns (tenant, id, state...) as the insert and update statements take them. */
  private static Tuple customerColumns(List<Object[]> rows) {
    return params(column(rows, 0, String.class), column(rows, 1, String.class), column(rows, 2, String.class),
        column(rows, 3, String.class), column(rows, 4, String.class), column(rows, 5, String.class),
        column(rows, 6, String.class), column(rows, 7, String.class), column(rows, 8, UUID.class),
        column(rows, 9, OffsetDateTime.class));
  }

  private static StatusChangedEvent withId(StatusChangedEvent e, long id) {
    return new StatusChangedEvent(id, e.tenantId(), e.customerId(), e.verificationId(), e.provider(), e.status(),
        e.previousStatus(), e.decidedBy(), e.reason(), e.occurredAt(), e.recordedAt());
  }

  @SuppressWarnings("unchecked")
  private static <T> T[] column(List<? extends Object[]> rows, int index, Class<T> type) {
    T[] out = (T[]) java.lang.reflect.Array.newInstance(type, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Object[] row = rows.get(i);
      out[i] = type.cast(row[index]);
    }
    return out;
  }

  /** Parameters one by one: {@code Tuple.of(a, array)} would spread the array. */
  private static Tuple params(Object... values) {
    Tuple tuple = Tuple.tuple();
    for (Object value : values) {
      tuple.addValue(value);
    }
    return tuple;
  }

  /** A map key of several parts (ids hold no NUL). */
  private static String key(String... parts) {
    return String.join("\u0000", parts);
  }
}
