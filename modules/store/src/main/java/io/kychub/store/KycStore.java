package io.kychub.store;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.KycState;
import io.kychub.model.KycStatus;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.StatusChange;
import io.kychub.model.StatusChangedEvent;
import io.kychub.model.UpdateBatch;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The current KYC state of customers, their verifications and the event log. Changed only through
 * {@link #applyAll}, the one write path (see {@link GroupApply}): transactions that apply every
 * change (a provider's delivery exactly once, or the hub's own), give its events the tenant's next
 * sequence numbers in commit order and record its follow-ups.
 */
public final class KycStore {

  /** The decision path's rules: whether a change applies to the customer's current state. */
  @FunctionalInterface
  public interface Rules {
    boolean shouldApply(KycState current, StatusChange change);
  }

  /** What a transaction recorded: each batch's events, in the order of the batches, and how many follow-ups. */
  public record Applied(List<List<StatusChangedEvent>> events, int followUps) {}

  static final String STATE_COLUMNS =
      "tenant_id, id, status, decided_by, reason_code, reason_detail, provider, verification_id, status_occurred_at, updated_at";
  /** The same columns of the customers table aliased {@code c}. */
  static final String STATE_COLUMNS_OF_C = "c." + STATE_COLUMNS.replace(", ", ", c.");

  private final Pool pool;

  public KycStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Applies several batches of changes, of one tenant or of several, in one transaction, in order,
   * with a fixed number of round trips for the group (see {@link GroupApply}). If any fails, none
   * is applied: a change of the hub's own whose guard the state does not meet fails it with
   * {@link StateConflictException}, a customer created meanwhile by another transaction with
   * {@link ConcurrentCreationException} (applying again then finds the customer).
   */
  public Future<Applied> applyAll(List<UpdateBatch> batches, Rules rules) {
    if (batches.isEmpty()) {
      return Future.succeededFuture(new Applied(List.of(), 0));
    }
    return pool.withTransaction(conn -> new GroupApply(conn, batches, rules).run())
        .map(outcome -> new Applied(outcome.events(), outcome.followUps()));
  }

  /** The current state of one customer, if the hub knows the customer. */
  public Future<Optional<KycState>> find(String tenantId, String customerId) {
    return pool.preparedQuery("SELECT " + STATE_COLUMNS + " FROM customers WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, customerId))
        .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(toState(rs.iterator().next())));
  }

  /**
   * The event an applied update records, before its sequence number is known (id 0): the
   * provider's reason text as it is stored, and instants at PostgreSQL's microsecond precision,
   * so the event carries the same instants the rows do.
   */
  static StatusChangedEvent draft(UpdateBatch batch, CanonicalUpdate update, KycState current, UUID verificationId,
      String forwardingOrNull) {
    Instant recordedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Instant occurredAt = (update.occurredAt() != null ? update.occurredAt() : batch.receivedAt()).truncatedTo(ChronoUnit.MICROS);
    Reason reason = update.reason() == null ? null : new Reason(update.reason().code(), storable(update.reason().detail()));
    return new StatusChangedEvent(0, batch.tenantId(), current.customerId(), verificationId.toString(), batch.provider(),
        update.status(), current.status(), update.decidedBy(), reason, occurredAt, recordedAt, forwardingOrNull);
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
