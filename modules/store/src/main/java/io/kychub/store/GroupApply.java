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
import java.util.TreeSet;
import java.util.UUID;

/**
 * Applies a group of one tenant's deliveries inside one transaction with a fixed number of round
 * trips, whatever the group's size: the rules run in memory, in delivery order, against the
 * customers' states as locked at the start, and the outcome is written with one set-based
 * statement per table.
 *
 * <ol>
 *   <li>claim the deliveries and resolve provider references (pipelined);
 *   <li>lock every existing customer the group is about, in id order (so two groups never
 *       deadlock), and read the customers' latest verifications per provider (pipelined);
 *   <li>decide every update in order, each against the state the previous ones left;
 *   <li>insert new customers and verifications with their final state, update the existing ones,
 *       take the tenant's sequence numbers and insert the events (pipelined; the sequence row is
 *       locked last and held only until the commit, so events commit in sequence order). A customer
 *       that another transaction created meanwhile fails the group (its deliveries are then retried
 *       one by one, and find the customer).
 * </ol>
 *
 * The result is the same as applying each update on its own, one statement after another.
 */
final class GroupApply {

  private static final String CLAIM =
      "UPDATE inbox SET applied_at = now(), claimed_until = NULL WHERE id = ANY($1) AND applied_at IS NULL RETURNING id";
  private static final String RESOLVE_REFS =
      "SELECT provider, provider_ref, customer_id, id FROM verifications "
          + "WHERE tenant_id = $1 AND provider = ANY($2) AND provider_ref = ANY($3)";
  private static final String LOCK_CUSTOMERS =
      "SELECT " + KycStore.STATE_COLUMNS + " FROM customers WHERE tenant_id = $1 AND id = ANY($2) ORDER BY id FOR UPDATE";
  private static final String INSERT_CUSTOMERS =
      "INSERT INTO customers (tenant_id, id, status, previous_status, decided_by, reason_code, reason_detail, provider, "
          + "verification_id, status_occurred_at) SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], "
          + "$6::text[], $7::text[], $8::text[], $9::uuid[], $10::timestamptz[]) AS u ON CONFLICT (tenant_id, id) DO NOTHING RETURNING id";
  private static final String LATEST_VERIFICATIONS =
      "SELECT DISTINCT ON (customer_id, provider) customer_id, provider, id FROM verifications "
          + "WHERE tenant_id = $1 AND customer_id = ANY($2) ORDER BY customer_id, provider, created_at DESC";
  private static final String INSERT_VERIFICATIONS =
      "INSERT INTO verifications (id, tenant_id, customer_id, provider, provider_ref, status, decided_by, reason_code, "
          + "reason_detail, status_occurred_at, decided_at) SELECT v.id, $1, v.customer_id, v.provider, v.ref, v.status, "
          + "v.decided_by, v.reason_code, v.reason_detail, v.occurred_at, CASE WHEN v.decided THEN now() END "
          + "FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], "
          + "$10::timestamptz[], $11::bool[]) "
          + "AS v(id, customer_id, provider, ref, status, decided_by, reason_code, reason_detail, occurred_at, decided)";
  private static final String UPDATE_VERIFICATIONS =
      "UPDATE verifications v SET status = u.status, decided_by = u.decided_by, reason_code = u.reason_code, "
          + "reason_detail = u.reason_detail, status_occurred_at = u.occurred_at, updated_at = now(), "
          + "decided_at = CASE WHEN u.decided THEN now() ELSE v.decided_at END "
          + "FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::bool[]) "
          + "AS u(id, status, decided_by, reason_code, reason_detail, occurred_at, decided) WHERE v.id = u.id";
  private static final String UPDATE_CUSTOMERS =
      "UPDATE customers c SET status = u.status, previous_status = u.previous_status, decided_by = u.decided_by, "
          + "reason_code = u.reason_code, reason_detail = u.reason_detail, provider = u.provider, "
          + "verification_id = u.verification_id, status_occurred_at = u.occurred_at, updated_at = now() "
          + "FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[], "
          + "$10::timestamptz[]) AS u(id, status, previous_status, decided_by, reason_code, reason_detail, provider, "
          + "verification_id, occurred_at) WHERE c.tenant_id = $1 AND c.id = u.id";
  private static final String INSERT_EVENTS =
      "WITH s AS (UPDATE tenant_sequences SET last_seq = last_seq + $2 WHERE tenant_id = $1 RETURNING last_seq - $2 AS base) "
          + "INSERT INTO events (tenant_id, seq, customer_id, payload, recorded_at) "
          + "SELECT $1, s.base + e.n, e.customer_id, jsonb_set(e.payload::jsonb, '{id}', to_jsonb((s.base + e.n)::text)), "
          + "e.recorded_at FROM s, unnest($3::text[], $4::text[], $5::timestamptz[]) WITH ORDINALITY "
          + "AS e(customer_id, payload, recorded_at, n) RETURNING seq";

  private final SqlConnection conn;
  private final String tenantId;
  private final List<UpdateBatch> batches;
  private final KycStore.Rules rules;

  /** Verifications found by provider reference (provider + NUL + reference), and the ones this group creates. */
  private final Map<String, Subject> refs = new HashMap<>();
  /** Current state per customer, as locked and then as the group's updates change it. */
  private final Map<String, KycState> states = new HashMap<>();
  /** Latest verification per customer + NUL + provider, including the ones this group creates. */
  private final Map<String, UUID> latest = new HashMap<>();
  /** Customers this group creates, in id order. */
  private final Set<String> created = new TreeSet<>();

  /** Verifications this group creates: id -> customer, provider, provider reference. */
  private final Map<UUID, String[]> newVerifications = new LinkedHashMap<>();
  private final Map<UUID, Object[]> verificationWrites = new LinkedHashMap<>();
  private final Map<String, Object[]> customerWrites = new LinkedHashMap<>();
  private final List<StatusChangedEvent> drafts = new ArrayList<>();

  GroupApply(SqlConnection conn, List<UpdateBatch> batches, KycStore.Rules rules) {
    this.conn = conn;
    this.batches = batches;
    this.rules = rules;
    this.tenantId = batches.get(0).tenantId();
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
          return write().map(seqBase -> {
            List<List<StatusChangedEvent>> result = new ArrayList<>(perBatch.size());
            for (List<Integer> indexes : perBatch) {
              List<StatusChangedEvent> numbered = new ArrayList<>(indexes.size());
              for (int i : indexes) {
                numbered.add(withId(drafts.get(i), seqBase + i + 1));
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
    Set<String> providers = new TreeSet<>();
    Set<String> references = new TreeSet<>();
    for (UpdateBatch b : batches) {
      for (CanonicalUpdate u : b.updates()) {
        if (u.subjectKind() != SubjectKind.CUSTOMER) {
          providers.add(b.provider());
          references.add(u.subject());
        }
      }
    }
    if (references.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(RESOLVE_REFS)
        .execute(params(tenantId, providers.toArray(new String[0]), references.toArray(new String[0])))
        .map(rows -> {
          for (Row r : rows) {
            refs.put(key(r.getString(0), r.getString(1)), new Subject(r.getString(2), r.getUUID(3), r.getString(1)));
          }
          return null;
        });
  }

  private Future<Void> lockCustomers(List<UpdateBatch> toApply) {
    TreeSet<String> customers = new TreeSet<>();
    for (UpdateBatch b : toApply) {
      if (b != null) {
        b.updates().forEach(u -> customers.add(subjectOf(b, u).customerId()));
      }
    }
    if (customers.isEmpty()) {
      return Future.succeededFuture();
    }
    String[] ids = customers.toArray(new String[0]);
    // Pipelined: the second statement runs after the first has taken the locks, on a fresh snapshot.
    Future<RowSet<Row>> locked = conn.preparedQuery(LOCK_CUSTOMERS).execute(params(tenantId, ids));
    Future<RowSet<Row>> verifications = conn.preparedQuery(LATEST_VERIFICATIONS).execute(params(tenantId, ids));
    return Future.all(locked, verifications).map(v -> {
      for (Row r : locked.result()) {
        KycState state = KycStore.toState(r);
        states.put(state.customerId(), state);
      }
      for (String id : ids) {
        if (!states.containsKey(id)) {
          // New: inserted with its final state at the end (a concurrent insert of the same customer fails the group).
          created.add(id);
          states.put(id, new KycState(tenantId, id, null, null, null, null, null, null, null));
        }
      }
      for (Row r : verifications.result()) {
        latest.put(key(r.getString(0), r.getString(1)), r.getUUID(2));
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
    Subject found = refs.get(key(b.provider(), u.subject()));
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
        KycState current = states.get(subject.customerId());
        if (!rules.shouldApply(current, u)) {
          continue;
        }
        UUID verificationId = verificationFor(b.provider(), subject, current);
        events.add(drafts.size());
        drafts.add(record(b, u, current, verificationId));
      }
    }
    return perBatch;
  }

  private UUID verificationFor(String provider, Subject subject, KycState current) {
    if (subject.verificationId() != null) {
      return subject.verificationId();
    }
    if (provider.equals(current.provider()) && current.verificationId() != null) {
      return UUID.fromString(current.verificationId());
    }
    String key = key(current.customerId(), provider);
    UUID id = latest.get(key);
    if (id == null) {
      id = VerificationIds.next();
      latest.put(key, id);
      newVerifications.put(id, new String[] {current.customerId(), provider, subject.providerRef()});
      if (subject.providerRef() != null) {
        refs.put(key(provider, subject.providerRef()), new Subject(current.customerId(), id, subject.providerRef()));
      }
    }
    return id;
  }

  private StatusChangedEvent record(UpdateBatch batch, CanonicalUpdate update, KycState current, UUID verificationId) {
    StatusChangedEvent draft = KycStore.draft(batch, update, current, verificationId);
    Instant providerTime = update.occurredAt() == null ? null : update.occurredAt().truncatedTo(ChronoUnit.MICROS);
    Reason reason = draft.reason();
    String code = reason == null ? null : reason.code().name();
    String detail = reason == null ? null : reason.detail();
    OffsetDateTime providerTimestamp = providerTime == null ? null : providerTime.atOffset(ZoneOffset.UTC);

    Object[] previous = verificationWrites.get(verificationId);
    boolean decided = update.status().isOutcome() || (previous != null && (Boolean) previous[6]);
    verificationWrites.put(verificationId, new Object[] {verificationId, update.status().wire(), update.decidedBy().wire(),
        code, detail, providerTimestamp, decided});
    customerWrites.put(current.customerId(), new Object[] {current.customerId(), update.status().wire(),
        current.status() == null ? null : current.status().wire(), update.decidedBy().wire(), code, detail,
        batch.provider(), verificationId, providerTimestamp});
    states.put(current.customerId(), new KycState(tenantId, current.customerId(), update.status(), update.decidedBy(), reason,
        batch.provider(), verificationId.toString(), providerTime, draft.recordedAt()));
    return draft;
  }

  /**
   * Writes the group's outcome, new rows with their final state (one tuple each, not an insert
   * and then an update); returns the sequence number before the group's first event.
   */
  private Future<Long> write() {
    List<Future<?>> writes = new ArrayList<>();
    if (!created.isEmpty()) {
      List<Object[]> rows = new ArrayList<>(created.size());
      for (String id : created) {
        Object[] row = customerWrites.remove(id);
        rows.add(row != null ? row : new Object[] {id, null, null, null, null, null, null, null, null});
      }
      int expected = rows.size();
      writes.add(conn.preparedQuery(INSERT_CUSTOMERS).execute(params(tenantId,
          column(rows, 0, String.class), column(rows, 1, String.class), column(rows, 2, String.class),
          column(rows, 3, String.class), column(rows, 4, String.class), column(rows, 5, String.class),
          column(rows, 6, String.class), column(rows, 7, UUID.class), column(rows, 8, OffsetDateTime.class)))
          .compose(inserted -> inserted.rowCount() == expected ? Future.succeededFuture()
              : Future.failedFuture(new IllegalStateException("a customer of this group was created concurrently"))));
    }
    if (!customerWrites.isEmpty()) {
      List<Object[]> rows = new ArrayList<>(customerWrites.values());
      writes.add(conn.preparedQuery(UPDATE_CUSTOMERS).execute(params(tenantId,
          column(rows, 0, String.class), column(rows, 1, String.class), column(rows, 2, String.class),
          column(rows, 3, String.class), column(rows, 4, String.class), column(rows, 5, String.class),
          column(rows, 6, String.class), column(rows, 7, UUID.class), column(rows, 8, OffsetDateTime.class))));
    }
    if (!newVerifications.isEmpty()) {
      List<Object[]> rows = new ArrayList<>(newVerifications.size());
      newVerifications.forEach((id, about) -> {
        Object[] state = verificationWrites.remove(id);
        rows.add(new Object[] {id, about[0], about[1], about[2], state[1], state[2], state[3], state[4], state[5], state[6]});
      });
      writes.add(conn.preparedQuery(INSERT_VERIFICATIONS).execute(params(tenantId,
          column(rows, 0, UUID.class), column(rows, 1, String.class), column(rows, 2, String.class),
          column(rows, 3, String.class), column(rows, 4, String.class), column(rows, 5, String.class),
          column(rows, 6, String.class), column(rows, 7, String.class), column(rows, 8, OffsetDateTime.class),
          column(rows, 9, Boolean.class))));
    }
    if (!verificationWrites.isEmpty()) {
      List<Object[]> rows = new ArrayList<>(verificationWrites.values());
      writes.add(conn.preparedQuery(UPDATE_VERIFICATIONS).execute(params(
          column(rows, 0, UUID.class), column(rows, 1, String.class), column(rows, 2, String.class),
          column(rows, 3, String.class), column(rows, 4, String.class), column(rows, 5, OffsetDateTime.class),
          column(rows, 6, Boolean.class))));
    }
    if (drafts.isEmpty()) {
      return Future.all(writes).map(0L);
    }
    int n = drafts.size();
    String[] customers = new String[n];
    String[] payloads = new String[n];
    OffsetDateTime[] recorded = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      StatusChangedEvent e = drafts.get(i);
      customers[i] = e.customerId();
      payloads[i] = e.toJson().encode();
      recorded[i] = e.recordedAt().atOffset(ZoneOffset.UTC);
    }
    // Issued after the other writes on the same connection: the sequence row is locked last.
    Future<RowSet<Row>> events = conn.preparedQuery(INSERT_EVENTS)
        .execute(params(tenantId, (long) n, customers, payloads, recorded));
    writes.add(events);
    return Future.all(writes).compose(v -> {
      RowSet<Row> rows = events.result();
      if (rows.size() != n) {
        return Future.failedFuture(new IllegalStateException("tenant " + tenantId + " has no event sequence"));
      }
      long min = Long.MAX_VALUE;
      for (Row r : rows) {
        min = Math.min(min, r.getLong(0));
      }
      return Future.succeededFuture(min - 1);
    });
  }

  private static StatusChangedEvent withId(StatusChangedEvent e, long id) {
    return new StatusChangedEvent(id, e.tenantId(), e.customerId(), e.verificationId(), e.provider(), e.status(),
        e.previousStatus(), e.decidedBy(), e.reason(), e.occurredAt(), e.recordedAt());
  }

  @SuppressWarnings("unchecked")
  private static <T> T[] column(List<Object[]> rows, int index, Class<T> type) {
    T[] out = (T[]) java.lang.reflect.Array.newInstance(type, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      out[i] = type.cast(rows.get(i)[index]);
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

  private static String key(String a, String b) {
    return a + '\u0000' + b;
  }
}
