package io.kychub.store;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.KycState;
import io.kychub.model.KycStatus;
import io.kychub.model.NewVerification;
import io.kychub.model.Reason;
import io.kychub.model.StatusChange;
import io.kychub.model.StatusChangedEvent;
import io.kychub.model.SubjectKind;
import io.kychub.model.UpdateBatch;
import io.kychub.model.VerificationIds;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * The one write path of status changes: applies a group of them (providers' deliveries and the
 * hub's own changes alike, of one tenant or of several) inside one transaction with a fixed number
 * of round trips, whatever the group's size. The rules run in memory, in order, against the
 * customers' states as locked at the start; the outcome is written with one set-based statement
 * per table; the follow-ups the changes call for are recorded in the same transaction. Every
 * statement takes its keys as (tenant, id) arrays, so a node with many quiet tenants still applies
 * many deliveries per commit.
 *
 * <ol>
 *   <li>claim the deliveries and resolve provider references (pipelined);
 *   <li>lock every existing customer the group is about, in (tenant, id) order (so two groups
 *       never deadlock on customers), and read the customers' latest verifications per provider
 *       (pipelined); a change that grants a reuse also share-locks its source, which must still
 *       be verified (so a source that lapses meanwhile either waits for this reuse, and then
 *       revokes it, or is seen lapsed here);
 *   <li>decide every change in order, each against the state the previous ones left;
 *   <li>insert new customers and verifications with their final state, update the existing ones,
 *       take each tenant's sequence numbers and insert the events (pipelined; the sequence rows
 *       are locked last and held only until the commit, so a tenant's events commit in sequence
 *       order); then the follow-ups, which name their events. A customer that another
 *       transaction created meanwhile fails the group with {@link ConcurrentCreationException}.
 * </ol>
 *
 * The result is the same as applying each change on its own, one statement after another. A
 * change of the hub's own whose guard the state does not meet fails the group with
 * {@link StateConflictException}.
 */
final class GroupApply {

  static final String CLAIM =
      "UPDATE inbox SET applied_at = now(), claimed_until = NULL WHERE id = ANY($1) AND applied_at IS NULL RETURNING id";
  static final String RESOLVE_REFS =
      "SELECT v.tenant_id, v.provider, v.provider_ref, v.customer_id, v.id, v.fingerprint "
          + "FROM unnest($1::text[], $2::text[], $3::text[]) AS k(t, p, r) "
          + "JOIN verifications v ON v.tenant_id = k.t AND v.provider = k.p AND v.provider_ref = k.r "
          + "AND v.provider_ref IS NOT NULL";
  static final String LOCK_CUSTOMERS =
      "SELECT " + KycStore.STATE_COLUMNS_OF_C + ", c.identity_fingerprint, c.reuse_source, cv.fingerprint AS current_fingerprint "
          + "FROM unnest($1::text[], $2::text[]) AS k(t, i) "
          + "JOIN customers c ON c.tenant_id = k.t AND c.id = k.i "
          + "LEFT JOIN verifications cv ON cv.id = c.verification_id "
          + "ORDER BY c.tenant_id, c.id FOR UPDATE OF c";
  static final String LATEST_VERIFICATIONS =
      "SELECT DISTINCT ON (v.tenant_id, v.customer_id, v.provider) v.tenant_id, v.customer_id, v.provider, v.id, v.fingerprint "
          + "FROM unnest($1::text[], $2::text[]) AS k(t, c) JOIN verifications v ON v.tenant_id = k.t AND v.customer_id = k.c "
          + "ORDER BY v.tenant_id, v.customer_id, v.provider, v.created_at DESC";
  /** The sources of reuses this group grants that are still their customer's verified verification, share-locked. */
  static final String LOCK_REUSE_SOURCES =
      "SELECT v.id FROM unnest($1::uuid[]) AS k(id) JOIN verifications v ON v.id = k.id "
          + "JOIN customers c ON c.tenant_id = v.tenant_id AND c.id = v.customer_id AND c.verification_id = v.id "
          + "WHERE c.status = 'verified' ORDER BY c.tenant_id, c.id FOR SHARE OF c";
  static final String INSERT_CUSTOMERS =
      "INSERT INTO customers (tenant_id, id, status, previous_status, decided_by, reason_code, reason_detail, provider, "
          + "verification_id, status_occurred_at, reuse_source) SELECT u.* FROM unnest($1::text[], $2::text[], $3::text[], "
          + "$4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::timestamptz[], $11::bool[]) AS u "
          + "ON CONFLICT (tenant_id, id) DO NOTHING RETURNING id";
  static final String UPDATE_CUSTOMERS =
      "UPDATE customers c SET status = u.status, previous_status = u.previous_status, decided_by = u.decided_by, "
          + "reason_code = u.reason_code, reason_detail = u.reason_detail, provider = u.provider, "
          + "verification_id = u.verification_id, status_occurred_at = u.occurred_at, reuse_source = u.reuse_source, "
          + "updated_at = now() "
          + "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], "
          + "$9::uuid[], $10::timestamptz[], $11::bool[]) AS u(tenant_id, id, status, previous_status, decided_by, reason_code, "
          + "reason_detail, provider, verification_id, occurred_at, reuse_source) WHERE c.tenant_id = u.tenant_id AND c.id = u.id";
  static final String INSERT_VERIFICATIONS =
      "INSERT INTO verifications (id, tenant_id, customer_id, provider, provider_ref, url, reused_from, expires_at, status, "
          + "decided_by, reason_code, reason_detail, status_occurred_at, decided_at, fingerprint) "
          + "SELECT v.id, v.tenant_id, v.customer_id, v.provider, v.ref, v.url, v.reused_from, v.expires_at, v.status, "
          + "v.decided_by, v.reason_code, v.reason_detail, v.occurred_at, CASE WHEN v.decided THEN now() END, v.fingerprint "
          + "FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], "
          + "$8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::bool[], $15::bytea[]) "
          + "AS v(id, tenant_id, customer_id, provider, ref, url, reused_from, expires_at, status, decided_by, reason_code, "
          + "reason_detail, occurred_at, decided, fingerprint)";
  /** A verification the provider opened itself takes the customer's fingerprint when it is first decided. */
  static final String UPDATE_VERIFICATIONS =
      "UPDATE verifications v SET status = u.status, decided_by = u.decided_by, reason_code = u.reason_code, "
          + "reason_detail = u.reason_detail, status_occurred_at = u.occurred_at, updated_at = now(), "
          + "decided_at = CASE WHEN u.decided THEN now() ELSE v.decided_at END, "
          + "fingerprint = COALESCE(v.fingerprint, u.fingerprint) "
          + "FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::bool[], $8::bytea[]) "
          + "AS u(id, status, decided_by, reason_code, reason_detail, occurred_at, decided, fingerprint) WHERE v.id = u.id";
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
  static final String INSERT_FOLLOW_UPS =
      "INSERT INTO follow_ups (kind, tenant_id, customer_id, verification_id, event_seq, payload) "
          + "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::bigint[], $6::jsonb[])";

  /** What the group recorded: each batch's events, in the order of the batches, and how many follow-ups. */
  record Outcome(List<List<StatusChangedEvent>> events, int followUps) {}

  /** A customer as locked: its state, its identity fingerprint, whether it was ever a reuse source. */
  private record Locked(KycState state, byte[] fingerprintOrNull, boolean reuseSource) {}

  /** Who a change is about: a customer id, and the verification the provider reference names. */
  private record Subject(String customerId, UUID verificationId, String providerRef) {}

  /** A customer's row as the group leaves it. */
  private record CustomerRow(String tenantId, String id, String status, String previousStatus, String decidedBy,
      String reasonCode, String reasonDetail, String provider, UUID verificationId, OffsetDateTime occurredAt,
      boolean reuseSource) {}

  /** A verification's state as the group leaves it. */
  private record VerificationRow(String status, String decidedBy, String reasonCode, String reasonDetail,
      OffsetDateTime occurredAt, boolean decided, byte[] fingerprintOrNull) {}

  /** A verification this group creates, before its state. */
  private record VerificationIdentity(String tenantId, String customerId, String provider, String providerRef, String url,
      UUID reusedFrom, OffsetDateTime expiresAt) {}

  /** A follow-up of the group's {@code event}-th event. */
  private record FollowUpRow(String kind, String tenantId, String customerId, UUID verificationId, int event,
      JsonObject payload) {}

  private final SqlConnection conn;
  private final List<UpdateBatch> batches;
  private final KycStore.Rules rules;
  /** (tenant, provider, provider reference) -> the verification it names and its customer. */
  private final Map<String, Subject> refs = new HashMap<>();
  /** (tenant, customer) -> state, updated as the group's changes apply. */
  private final Map<String, Locked> states = new HashMap<>();
  /** Latest verification per (tenant, customer, provider), including the ones this group creates. */
  private final Map<String, UUID> latest = new HashMap<>();
  /** The fingerprints of the verifications the group touches, as far as they are known (absent: none). */
  private final Map<UUID, byte[]> fingerprints = new HashMap<>();
  /** Customers this group creates: (tenant, id) -> {tenant, id}, in key order. */
  private final Map<String, String[]> created = new TreeMap<>();
  private final Map<UUID, VerificationIdentity> newVerifications = new LinkedHashMap<>();
  private final Map<UUID, VerificationRow> verificationWrites = new LinkedHashMap<>();
  private final Map<String, CustomerRow> customerWrites = new LinkedHashMap<>();
  private final List<StatusChangedEvent> drafts = new ArrayList<>();
  private final List<FollowUpRow> followUps = new ArrayList<>();

  GroupApply(SqlConnection conn, List<UpdateBatch> batches, KycStore.Rules rules) {
    this.conn = conn;
    this.batches = batches;
    this.rules = rules;
  }

  Future<Outcome> run() {
    return Future.all(claim(), resolveRefs())
        .compose(f -> {
          Set<Long> fresh = f.resultAt(0);
          List<UpdateBatch> toApply = new ArrayList<>();
          for (UpdateBatch b : batches) {
            // A delivery that appears twice in the group is applied once (the first time).
            toApply.add(b.deliveryId() <= 0 || fresh.remove(b.deliveryId()) ? b : null);
          }
          return lockCustomers(toApply).compose(v -> lockReuseSources(toApply)).map(v -> toApply);
        })
        .compose(toApply -> {
          List<List<Integer>> perBatch = decide(toApply);
          return write().map(ids -> {
            List<List<StatusChangedEvent>> result = new ArrayList<>(perBatch.size());
            for (List<Integer> indexes : perBatch) {
              List<StatusChangedEvent> numbered = new ArrayList<>(indexes.size());
              for (int i : indexes) {
                numbered.add(drafts.get(i).withId(ids[i]));
              }
              result.add(numbered);
            }
            return new Outcome(result, followUps.size());
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
      for (StatusChange c : b.changes()) {
        CanonicalUpdate u = c.update();
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
        .execute(params(column(lookups, k -> k[0], String.class), column(lookups, k -> k[1], String.class),
            column(lookups, k -> k[2], String.class)))
        .map(rows -> {
          for (Row r : rows) {
            refs.put(key(r.getString(0), r.getString(1), r.getString(2)),
                new Subject(r.getString(3), r.getUUID(4), r.getString(2)));
            knowFingerprint(r.getUUID(4), r.getBuffer(5));
          }
          return null;
        });
  }

  private Future<Void> lockCustomers(List<UpdateBatch> toApply) {
    TreeMap<String, String[]> customers = new TreeMap<>();
    for (UpdateBatch b : toApply) {
      if (b != null) {
        b.changes().forEach(c -> {
          String id = subjectOf(b, c.update()).customerId();
          customers.putIfAbsent(key(b.tenantId(), id), new String[] {b.tenantId(), id});
        });
      }
    }
    if (customers.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String[]> keys = new ArrayList<>(customers.values());
    String[] tenants = column(keys, k -> k[0], String.class);
    String[] ids = column(keys, k -> k[1], String.class);
    // Pipelined: the second statement runs after the first has taken the locks, on a fresh snapshot.
    Future<RowSet<Row>> locked = conn.preparedQuery(LOCK_CUSTOMERS).execute(params(tenants, ids));
    Future<RowSet<Row>> verifications = conn.preparedQuery(LATEST_VERIFICATIONS).execute(params(tenants, ids));
    return Future.all(locked, verifications).map(v -> {
      for (Row r : locked.result()) {
        KycState state = KycStore.toState(r);
        Buffer fingerprint = r.getBuffer("identity_fingerprint");
        states.put(key(state.tenantId(), state.customerId()),
            new Locked(state, fingerprint == null ? null : fingerprint.getBytes(), r.getBoolean("reuse_source")));
        if (state.verificationId() != null) {
          knowFingerprint(UUID.fromString(state.verificationId()), r.getBuffer("current_fingerprint"));
        }
      }
      customers.forEach((key, tenantAndId) -> {
        if (!states.containsKey(key)) {
          // New: inserted with its final state at the end (a concurrent insert of the same customer fails the group).
          created.put(key, tenantAndId);
          states.put(key, new Locked(new KycState(tenantAndId[0], tenantAndId[1], null, null, null, null, null, null, null),
              null, false));
        }
      });
      for (Row r : verifications.result()) {
        latest.put(key(r.getString(0), r.getString(1), r.getString(2)), r.getUUID(3));
        knowFingerprint(r.getUUID(3), r.getBuffer(4));
      }
      return null;
    });
  }

  /** Share-locks the sources of the reuses this group grants; a source no longer verified fails the group. */
  private Future<Void> lockReuseSources(List<UpdateBatch> toApply) {
    Set<UUID> sources = new HashSet<>();
    for (UpdateBatch b : toApply) {
      if (b != null) {
        for (StatusChange c : b.changes()) {
          if (c.openOrNull() != null && c.openOrNull().reusedFromOrNull() != null) {
            sources.add(c.openOrNull().reusedFromOrNull());
          }
        }
      }
    }
    if (sources.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(LOCK_REUSE_SOURCES).execute(params((Object) sources.toArray(new UUID[0]))).compose(rows -> {
      Set<UUID> valid = new HashSet<>();
      rows.forEach(r -> valid.add(r.getUUID(0)));
      if (!valid.containsAll(sources)) {
        return Future.failedFuture(new StateConflictException(null));
      }
      return Future.succeededFuture();
    });
  }

  private Subject subjectOf(UpdateBatch b, CanonicalUpdate u) {
    if (u.subjectKind() == SubjectKind.CUSTOMER) {
      return new Subject(u.subject(), null, null);
    }
    Subject found = refs.get(key(b.tenantId(), b.provider(), u.subject()));
    // Unknown reference: keep the update under a customer named after it, so nothing is dropped.
    return found != null ? found : new Subject(u.subject(), null, u.subject());
  }

  /** Runs the rules over every change in order; returns, per batch, the positions of its events in {@link #drafts}. */
  private List<List<Integer>> decide(List<UpdateBatch> toApply) {
    List<List<Integer>> perBatch = new ArrayList<>(toApply.size());
    for (UpdateBatch b : toApply) {
      List<Integer> events = new ArrayList<>();
      perBatch.add(events);
      if (b == null) {
        continue;
      }
      for (StatusChange c : b.changes()) {
        Subject subject = subjectOf(b, c.update());
        Locked current = states.get(key(b.tenantId(), subject.customerId()));
        StatusChange ordered = c.update().occurredAt() == null ? c
            : new StatusChange(c.update().orderedAsOf(b.receivedAt()), c.guard(), c.expectedVerificationOrNull(),
                c.openOrNull(), c.forward());
        if (!rules.shouldApply(current.state(), ordered)) {
          if (c.fromHub()) {
            throw new StateConflictException(current.state());
          }
          continue;
        }
        UUID verificationId = verificationFor(b, subject, current, c.openOrNull());
        events.add(drafts.size());
        drafts.add(record(b, c, ordered.update().occurredAt(), current, verificationId));
      }
    }
    return perBatch;
  }

  private UUID verificationFor(UpdateBatch b, Subject subject, Locked current, NewVerification open) {
    String tenant = b.tenantId();
    String provider = b.provider();
    KycState state = current.state();
    if (open != null) {
      OffsetDateTime expires = open.expiresAtOrNull() == null ? null : open.expiresAtOrNull().atOffset(ZoneOffset.UTC);
      newVerifications.put(open.id(), new VerificationIdentity(tenant, state.customerId(), provider, open.providerRefOrNull(),
          open.urlOrNull(), open.reusedFromOrNull(), expires));
      latest.put(key(tenant, state.customerId(), provider), open.id());
      // Bound to the claims the customer has now; a reuse is never a source itself.
      if (open.reusedFromOrNull() == null && current.fingerprintOrNull() != null) {
        fingerprints.put(open.id(), current.fingerprintOrNull());
      }
      return open.id();
    }
    if (subject.verificationId() != null) {
      return subject.verificationId();
    }
    if (provider.equals(state.provider()) && state.verificationId() != null) {
      return UUID.fromString(state.verificationId());
    }
    String key = key(tenant, state.customerId(), provider);
    UUID id = latest.get(key);
    if (id == null) {
      id = VerificationIds.next();
      latest.put(key, id);
      newVerifications.put(id, new VerificationIdentity(tenant, state.customerId(), provider, subject.providerRef(), null,
          null, null));
      if (subject.providerRef() != null) {
        refs.put(key(tenant, provider, subject.providerRef()), new Subject(state.customerId(), id, subject.providerRef()));
      }
    }
    return id;
  }

  /**
   * @param orderingTime the provider's time as the rules trust it (the state keeps it for the next update)
   */
  private StatusChangedEvent record(UpdateBatch batch, StatusChange change, Instant orderingTime, Locked current,
      UUID verificationId) {
    CanonicalUpdate update = change.update();
    KycState state = current.state();
    String forwarding = change.forward() ? "pending"
        : change.fromHub() && update.decidedBy() == DecidedBy.OPERATOR ? "not_supported" : null;
    StatusChangedEvent draft = KycStore.draft(batch, update, state, verificationId, forwarding);
    Instant providerTime = orderingTime == null ? null : orderingTime.truncatedTo(ChronoUnit.MICROS);
    Reason reason = draft.reason();
    String code = reason == null ? null : reason.code().name();
    String detail = reason == null ? null : reason.detail();
    OffsetDateTime providerTimestamp = providerTime == null ? null : providerTime.atOffset(ZoneOffset.UTC);
    String tenant = batch.tenantId();

    VerificationRow previous = verificationWrites.get(verificationId);
    boolean decided = update.status().isOutcome() || (previous != null && previous.decided());
    // A verification the provider opened itself is bound to the customer's claims when it is first decided.
    if (update.status().isOutcome() && !fingerprints.containsKey(verificationId) && current.fingerprintOrNull() != null
        && !isReuse(verificationId, update)) {
      fingerprints.put(verificationId, current.fingerprintOrNull());
    }
    byte[] fingerprint = fingerprints.get(verificationId);
    verificationWrites.put(verificationId, new VerificationRow(update.status().wire(), update.decidedBy().wire(), code, detail,
        providerTimestamp, decided, update.status().isOutcome() ? fingerprint : null));

    int event = drafts.size();
    boolean reuseSource = current.reuseSource();
    if (update.decidedBy() != DecidedBy.REUSE) {
      if (update.status() == KycStatus.VERIFIED && fingerprint != null) {
        // Other operators' waiting customers of this person may reuse it.
        followUps.add(new FollowUpRow(FollowUps.REUSE_OFFER, tenant, state.customerId(), verificationId, event, null));
        reuseSource = true;
      } else if ((update.status() == KycStatus.REJECTED || update.status() == KycStatus.EXPIRED) && reuseSource) {
        // A source of reuses leaves verified: every reuse of this customer's verifications lapses.
        followUps.add(new FollowUpRow(FollowUps.REUSE_REVOKE, tenant, state.customerId(), verificationId, event, null));
      }
    }
    if (change.forward()) {
      followUps.add(new FollowUpRow(FollowUps.PROVIDER_FORWARD, tenant, state.customerId(), verificationId, event,
          new JsonObject().put("provider", batch.provider()).put("verify", update.status() == KycStatus.VERIFIED)));
    }
    customerWrites.put(key(tenant, state.customerId()), new CustomerRow(tenant, state.customerId(), update.status().wire(),
        state.status() == null ? null : state.status().wire(), update.decidedBy().wire(), code, detail, batch.provider(),
        verificationId, providerTimestamp, reuseSource));
    states.put(key(tenant, state.customerId()), new Locked(new KycState(tenant, state.customerId(), update.status(),
        update.decidedBy(), reason, batch.provider(), verificationId.toString(), providerTime, draft.recordedAt()),
        current.fingerprintOrNull(), reuseSource));
    return draft;
  }

  private boolean isReuse(UUID verificationId, CanonicalUpdate update) {
    VerificationIdentity fresh = newVerifications.get(verificationId);
    return update.decidedBy() == DecidedBy.REUSE || (fresh != null && fresh.reusedFrom() != null);
  }

  /**
   * Writes the group's outcome, new rows with their final state (one tuple each, not an insert
   * and then an update); returns each draft's sequence number, by position.
   */
  private Future<long[]> write() {
    List<Future<?>> writes = new ArrayList<>();
    if (!created.isEmpty()) {
      List<CustomerRow> rows = new ArrayList<>(created.size());
      created.forEach((key, tenantAndId) -> {
        CustomerRow row = customerWrites.remove(key);
        rows.add(row != null ? row
            : new CustomerRow(tenantAndId[0], tenantAndId[1], null, null, null, null, null, null, null, null, false));
      });
      int expected = rows.size();
      writes.add(conn.preparedQuery(INSERT_CUSTOMERS).execute(customerColumns(rows))
          .compose(inserted -> inserted.rowCount() == expected ? Future.succeededFuture()
              : Future.failedFuture(new ConcurrentCreationException())));
    }
    if (!customerWrites.isEmpty()) {
      writes.add(conn.preparedQuery(UPDATE_CUSTOMERS).execute(customerColumns(customerWrites.values())));
    }
    if (!newVerifications.isEmpty()) {
      List<UUID> ids = new ArrayList<>(newVerifications.keySet());
      List<VerificationIdentity> about = new ArrayList<>(newVerifications.values());
      List<VerificationRow> state = new ArrayList<>();
      for (UUID id : ids) {
        VerificationRow row = verificationWrites.remove(id);
        // A verification of this group always has a change; its fingerprint is known from the start.
        state.add(new VerificationRow(row.status(), row.decidedBy(), row.reasonCode(), row.reasonDetail(), row.occurredAt(),
            row.decided(), fingerprints.get(id)));
      }
      writes.add(conn.preparedQuery(INSERT_VERIFICATIONS).execute(params(
          ids.toArray(new UUID[0]), column(about, VerificationIdentity::tenantId, String.class),
          column(about, VerificationIdentity::customerId, String.class), column(about, VerificationIdentity::provider, String.class),
          column(about, VerificationIdentity::providerRef, String.class), column(about, VerificationIdentity::url, String.class),
          column(about, VerificationIdentity::reusedFrom, UUID.class),
          column(about, VerificationIdentity::expiresAt, OffsetDateTime.class),
          column(state, VerificationRow::status, String.class), column(state, VerificationRow::decidedBy, String.class),
          column(state, VerificationRow::reasonCode, String.class), column(state, VerificationRow::reasonDetail, String.class),
          column(state, VerificationRow::occurredAt, OffsetDateTime.class), column(state, VerificationRow::decided, Boolean.class),
          column(state, r -> buffer(r.fingerprintOrNull()), Buffer.class))));
    }
    if (!verificationWrites.isEmpty()) {
      List<UUID> ids = new ArrayList<>(verificationWrites.keySet());
      List<VerificationRow> rows = new ArrayList<>(verificationWrites.values());
      writes.add(conn.preparedQuery(UPDATE_VERIFICATIONS).execute(params(
          ids.toArray(new UUID[0]), column(rows, VerificationRow::status, String.class),
          column(rows, VerificationRow::decidedBy, String.class), column(rows, VerificationRow::reasonCode, String.class),
          column(rows, VerificationRow::reasonDetail, String.class), column(rows, VerificationRow::occurredAt, OffsetDateTime.class),
          column(rows, VerificationRow::decided, Boolean.class), column(rows, r -> buffer(r.fingerprintOrNull()), Buffer.class))));
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
      return recordFollowUps(ids).map(ids);
    });
  }

  /** The follow-ups, naming their events (a round trip only for groups that have any). */
  private Future<Void> recordFollowUps(long[] eventIds) {
    if (followUps.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(INSERT_FOLLOW_UPS).execute(params(
        column(followUps, FollowUpRow::kind, String.class), column(followUps, FollowUpRow::tenantId, String.class),
        column(followUps, FollowUpRow::customerId, String.class), column(followUps, FollowUpRow::verificationId, UUID.class),
        column(followUps, f -> eventIds[f.event()], Long.class),
        column(followUps, f -> f.payload() == null ? new JsonObject() : f.payload(), JsonObject.class))).mapEmpty();
  }

  private void knowFingerprint(UUID verification, Buffer fingerprint) {
    if (fingerprint != null) {
      fingerprints.put(verification, fingerprint.getBytes());
    }
  }

  private static Buffer buffer(byte[] bytesOrNull) {
    return bytesOrNull == null ? null : Buffer.buffer(bytesOrNull);
  }

  /** The customer columns (tenant, id, state...) as the insert and update statements take them. */
  private static Tuple customerColumns(Collection<CustomerRow> rows) {
    List<CustomerRow> list = List.copyOf(rows);
    return params(column(list, CustomerRow::tenantId, String.class), column(list, CustomerRow::id, String.class),
        column(list, CustomerRow::status, String.class), column(list, CustomerRow::previousStatus, String.class),
        column(list, CustomerRow::decidedBy, String.class), column(list, CustomerRow::reasonCode, String.class),
        column(list, CustomerRow::reasonDetail, String.class), column(list, CustomerRow::provider, String.class),
        column(list, CustomerRow::verificationId, UUID.class), column(list, CustomerRow::occurredAt, OffsetDateTime.class),
        column(list, CustomerRow::reuseSource, Boolean.class));
  }

  @SuppressWarnings("unchecked")
  private static <R, T> T[] column(List<R> rows, Function<R, T> field, Class<T> type) {
    T[] out = (T[]) java.lang.reflect.Array.newInstance(type, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      out[i] = field.apply(rows.get(i));
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
