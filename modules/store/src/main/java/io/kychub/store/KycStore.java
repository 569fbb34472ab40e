package io.kychub.store;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.KycState;
import io.kychub.model.KycStatus;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.StatusChangedEvent;
import io.kychub.model.SubjectKind;
import io.kychub.model.UpdateBatch;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The current KYC state of customers, their verifications and the event log, changed only in
 * transactions that apply a delivery exactly once (alone or in a group of deliveries,
 * see {@link GroupApply}) and give its events the tenant's next sequence numbers in commit order.
 */
public final class KycStore {

  /** The reconciler's rule: whether an update changes the current state. */
  @FunctionalInterface
  public interface Rules {
    boolean shouldApply(KycState current, CanonicalUpdate update);
  }

  static final String STATE_COLUMNS =
      "tenant_id, id, status, decided_by, reason_code, reason_detail, provider, verification_id, status_occurred_at, updated_at";

  private final Pool pool;

  public KycStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Applies a delivery's updates in one transaction and returns the events it recorded (empty
   * when nothing changed or the delivery was applied before). {@code deliveryId <= 0} means the
   * updates did not come from the inbox (an operator decision, a poll).
   */
  public Future<List<StatusChangedEvent>> apply(UpdateBatch batch, Rules rules) {
    return applyAll(List.of(batch), rules).map(all -> all.get(0));
  }

  /**
   * Applies several deliveries, of one tenant or of several, in one transaction, in order, with a
   * fixed number of round trips for the group (see {@link GroupApply}). If any fails, none is
   * applied; callers then retry them one by one.
   *
   * @return each delivery's events, in the order of {@code batches}
   */
  public Future<List<List<StatusChangedEvent>>> applyAll(List<UpdateBatch> batches, Rules rules) {
    if (batches.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.withTransaction(conn -> new GroupApply(conn, batches, rules).run());
  }

  /** A verification the hub starts itself (a provider session, or a reuse of another verification). */
  public record NewVerification(UUID id, String providerRef, String url, UUID reusedFrom, Instant expiresAt) {}

  /**
   * A status the hub sets itself rather than a provider webhook: a started verification, a manual
   * decision, a reuse, an expiry. With {@code newVerification} null it applies to the customer's
   * current verification.
   */
  public record HubDecision(String tenantId, String customerId, String provider, KycStatus status, DecidedBy decidedBy,
      Reason reason, NewVerification newVerification) {}

  /**
   * Records a hub decision in one transaction if {@code allowed} accepts the customer's current
   * state (fails with {@link StateConflictException} otherwise) and returns its event.
   */
  public Future<StatusChangedEvent> decide(HubDecision decision, Predicate<KycState> allowed) {
    Instant now = Instant.now();
    return pool.withTransaction(conn -> lockCustomer(conn, decision.tenantId(), decision.customerId()).compose(current -> {
      if (!allowed.test(current)) {
        return Future.failedFuture(new StateConflictException(current));
      }
      NewVerification fresh = decision.newVerification();
      String provider = fresh != null || current.provider() == null ? decision.provider() : current.provider();
      Future<UUID> verification;
      if (fresh != null) {
        verification = conn.preparedQuery(
                "INSERT INTO verifications (id, tenant_id, customer_id, provider, provider_ref, status, decided_by, url, "
                    + "reused_from, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .execute(Tuple.from(Arrays.asList(fresh.id(), decision.tenantId(), decision.customerId(), provider,
                fresh.providerRef(), decision.status().wire(), decision.decidedBy().wire(), fresh.url(), fresh.reusedFrom(),
                fresh.expiresAt() == null ? null : fresh.expiresAt().atOffset(ZoneOffset.UTC))))
            .map(fresh.id());
      } else if (current.verificationId() != null) {
        verification = Future.succeededFuture(UUID.fromString(current.verificationId()));
      } else {
        return Future.failedFuture(new StateConflictException(current));
      }
      UpdateBatch batch = new UpdateBatch(0, decision.tenantId(), provider, now, List.of());
      // Only a manual decision keeps its time for ordering (it stands until a provider decision that
      // is newer); other hub statuses carry no provider time, so the provider's next update is
      // ordered by stage rather than by comparing the hub's clock with the provider's.
      Instant orderingTime = decision.decidedBy() == DecidedBy.OPERATOR ? now : null;
      CanonicalUpdate update = new CanonicalUpdate(decision.customerId(), SubjectKind.CUSTOMER, decision.status(),
          decision.decidedBy(), decision.reason(), orderingTime);
      return verification.compose(id -> record(conn, batch, update, current, id));
    }));
  }

  /** The current state of one customer, if the hub knows the customer. */
  public Future<Optional<KycState>> find(String tenantId, String customerId) {
    return pool.preparedQuery("SELECT " + STATE_COLUMNS + " FROM customers WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, customerId))
        .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(toState(rs.iterator().next())));
  }

  /** Creates the customer if new and locks its row until commit, in one statement. */
  private Future<KycState> lockCustomer(SqlConnection conn, String tenantId, String customerId) {
    return conn.preparedQuery("INSERT INTO customers (tenant_id, id) VALUES ($1, $2) "
            + "ON CONFLICT (tenant_id, id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id RETURNING " + STATE_COLUMNS)
        .execute(Tuple.of(tenantId, customerId))
        .map(rs -> toState(rs.iterator().next()));
  }

  private Future<StatusChangedEvent> record(
      SqlConnection conn, UpdateBatch batch, CanonicalUpdate update, KycState current, UUID verificationId) {
    StatusChangedEvent draft = draft(batch, update, current, verificationId);
    Instant recordedAt = draft.recordedAt();
    String code = draft.reason() == null ? null : draft.reason().code().name();
    String detail = draft.reason() == null ? null : draft.reason().detail();
    OffsetDateTime providerTime = update.occurredAt() == null ? null : update.occurredAt().atOffset(ZoneOffset.UTC);
    Future<?> verification = conn.preparedQuery(
            "UPDATE verifications SET status = $2, decided_by = $3, reason_code = $4, reason_detail = $5, "
                + "status_occurred_at = $6, updated_at = now(), decided_at = CASE WHEN $7 THEN now() ELSE decided_at END "
                + "WHERE id = $1")
        .execute(Tuple.of(verificationId, update.status().wire(), update.decidedBy().wire(), code, detail, providerTime,
            update.status().isOutcome()));
    Future<?> customer = conn.preparedQuery(
            "UPDATE customers SET status = $3, previous_status = status, decided_by = $4, reason_code = $5, reason_detail = $6, "
                + "provider = $7, verification_id = $8, status_occurred_at = $9, updated_at = now() WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(batch.tenantId(), current.customerId(), update.status().wire(), update.decidedBy().wire(), code, detail,
            batch.provider(), verificationId, providerTime));
    // The sequence row stays locked until commit, so it is taken last: events commit in id order.
    Future<Long> seq = Future.all(verification, customer).compose(v -> conn.preparedQuery(
            "WITH s AS (UPDATE tenant_sequences SET last_seq = last_seq + 1 WHERE tenant_id = $1 RETURNING last_seq) "
                + "INSERT INTO events (tenant_id, seq, customer_id, payload, recorded_at) "
                + "SELECT $1, s.last_seq, $2, jsonb_set($3::jsonb, '{id}', to_jsonb(s.last_seq::text)), $4 FROM s RETURNING seq")
        .execute(Tuple.of(batch.tenantId(), current.customerId(), draft.toJson(), recordedAt.atOffset(ZoneOffset.UTC))))
        .compose(rs -> rs.size() == 1
            ? Future.succeededFuture(rs.iterator().next().getLong(0))
            : Future.failedFuture(new IllegalStateException("tenant " + batch.tenantId() + " has no event sequence")));
    return seq.map(id -> new StatusChangedEvent(id, draft.tenantId(), draft.customerId(), draft.verificationId(),
        draft.provider(), draft.status(), draft.previousStatus(), draft.decidedBy(), draft.reason(), draft.occurredAt(),
        draft.recordedAt()));
  }

  /**
   * The event an applied update records, before its sequence number is known (id 0): the
   * provider's reason text as it is stored, and instants at PostgreSQL's microsecond precision,
   * so the event carries the same instants the rows do.
   */
  static StatusChangedEvent draft(UpdateBatch batch, CanonicalUpdate update, KycState current, UUID verificationId) {
    Instant recordedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Instant occurredAt = (update.occurredAt() != null ? update.occurredAt() : batch.receivedAt()).truncatedTo(ChronoUnit.MICROS);
    Reason reason = update.reason() == null ? null : new Reason(update.reason().code(), storable(update.reason().detail()));
    return new StatusChangedEvent(0, batch.tenantId(), current.customerId(), verificationId.toString(), batch.provider(),
        update.status(), current.status(), update.decidedBy(), reason, occurredAt, recordedAt);
  }

  /** Provider text as PostgreSQL can keep it: no NUL characters, at most 2,000 characters. */
  static String storable(String text) {
    if (text == null) {
      return null;
    }
    String clean = text.indexOf('\u0000') >= 0 ? text.replace("\u0000", "") : text;
    return clean.length() > 2000 ? clean.substring(0, 2000) : clean;
  }

  static KycState toState(Row row) {
    String status = row.getString("status");
    String decidedBy = row.getString("decided_by");
    String reasonCode = row.getString("reason_code");
    OffsetDateTime at = row.getOffsetDateTime("status_occurred_at");
    OffsetDateTime updated = row.getOffsetDateTime("updated_at");
    UUID verification = row.getUUID("verification_id");
    return new KycState(
        row.getString("tenant_id"),
        row.getString("id"),
        status == null ? null : KycStatus.fromWire(status),
        decidedBy == null ? null : DecidedBy.fromWire(decidedBy),
        reasonCode == null ? null : new Reason(ReasonCode.valueOf(reasonCode), row.getString("reason_detail")),
        row.getString("provider"),
        verification == null ? null : verification.toString(),
        at == null ? null : at.toInstant(),
        updated == null ? null : updated.toInstant());
  }
}
