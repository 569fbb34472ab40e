package io.kychub.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The follow-ups of status changes ({@code follow_ups}): recorded by {@link GroupApply} in the
 * change's transaction, claimed here by any node (a lease, so a node that dies leaves them to
 * another), retried with backoff, and kept as done or failed.
 */
public final class FollowUps {

  /** A verified person's verification is offered to waiting customers of operators that accept reuse. */
  public static final String REUSE_OFFER = "reuse.offer";
  /** A customer that was a reuse source left verified: the reuses of its verifications expire. */
  public static final String REUSE_REVOKE = "reuse.revoke";
  /** A manual decision is told to the provider (Vivamo's decision API). */
  public static final String PROVIDER_FORWARD = "provider.forward";

  /** One claimed follow-up; {@code attempts} counts this one. */
  public record FollowUp(long id, String kind, String tenantId, String customerId, UUID verificationIdOrNull, long eventSeq,
      JsonObject payload, int attempts) {}

  private static final String COLUMNS = "id, kind, tenant_id, customer_id, verification_id, event_seq, payload, attempts";

  private final Pool pool;

  public FollowUps(Pool pool) {
    this.pool = pool;
  }

  /** Claims up to {@code limit} due follow-ups for {@code leaseMillis}; SKIP LOCKED keeps nodes off each other's. */
  public Future<List<FollowUp>> claimDue(int limit, long leaseMillis) {
    return pool.preparedQuery("UPDATE follow_ups f SET claimed_until = now() + make_interval(secs => $2::double precision / 1000), "
            + "attempts = f.attempts + 1 WHERE f.id = ANY(ARRAY(SELECT id FROM follow_ups WHERE state = 'pending' "
            + "AND due_at <= now() AND (claimed_until IS NULL OR claimed_until < now()) ORDER BY due_at LIMIT $1 "
            + "FOR UPDATE SKIP LOCKED)) RETURNING " + COLUMNS)
        .execute(Tuple.of(limit, leaseMillis))
        .map(rows -> {
          List<FollowUp> list = new ArrayList<>();
          for (Row r : rows) {
            Long seq = r.getLong("event_seq");
            list.add(new FollowUp(r.getLong("id"), r.getString("kind"), r.getString("tenant_id"), r.getString("customer_id"),
                r.getUUID("verification_id"), seq == null ? 0 : seq, (JsonObject) r.getValue("payload"),
                r.getInteger("attempts")));
          }
          return list;
        });
  }

  public Future<Void> done(long id) {
    return pool.preparedQuery("UPDATE follow_ups SET state = 'done', finished_at = now(), claimed_until = NULL, "
        + "last_error = NULL WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  /** Not done this time: due again after {@code delayMillis}. */
  public Future<Void> retryLater(long id, long delayMillis, String error) {
    return pool.preparedQuery("UPDATE follow_ups SET due_at = now() + make_interval(secs => $2::double precision / 1000), "
        + "claimed_until = NULL, last_error = $3 WHERE id = $1").execute(Tuple.of(id, delayMillis, clip(error))).mapEmpty();
  }

  /** Given up: listed by the admin API until retried. */
  public Future<Void> failed(long id, String error) {
    return pool.preparedQuery("UPDATE follow_ups SET state = 'failed', finished_at = now(), claimed_until = NULL, "
        + "last_error = $2 WHERE id = $1").execute(Tuple.of(id, clip(error))).mapEmpty();
  }

  /** Puts a failed follow-up back to pending with its attempts reset; false when there is no failed one of this id. */
  public Future<Boolean> retry(long id) {
    return pool.preparedQuery("UPDATE follow_ups SET state = 'pending', attempts = 0, due_at = now(), finished_at = NULL "
        + "WHERE id = $1 AND state = 'failed'").execute(Tuple.of(id)).map(rows -> rowsChanged(rows.rowCount()));
  }

  /** Follow-ups in one state, newest first, for the admin API (never a payload: ids, kinds, times, the last error). */
  public Future<List<JsonObject>> list(String state, int limit, Long beforeIdOrNull) {
    return pool.preparedQuery("SELECT id, kind, tenant_id, customer_id, verification_id, event_seq, attempts, due_at, "
            + "last_error, created_at, finished_at FROM follow_ups WHERE state = $1 AND ($3::bigint IS NULL OR id < $3) "
            + "ORDER BY id DESC LIMIT $2")
        .execute(Tuple.of(state, limit, beforeIdOrNull))
        .map(rows -> {
          List<JsonObject> list = new ArrayList<>();
          for (Row r : rows) {
            UUID verification = r.getUUID("verification_id");
            list.add(new JsonObject().put("id", r.getLong("id")).put("kind", r.getString("kind"))
                .put("tenantId", r.getString("tenant_id")).put("customerId", r.getString("customer_id"))
                .put("verificationId", verification == null ? null : verification.toString())
                .put("eventId", r.getLong("event_seq") == null ? null : r.getLong("event_seq").toString())
                .put("state", state).put("attempts", r.getInteger("attempts"))
                .put("dueAt", r.getOffsetDateTime("due_at").toInstant().toString())
                .put("lastError", r.getString("last_error"))
                .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString())
                .put("finishedAt", r.getOffsetDateTime("finished_at") == null ? null
                    : r.getOffsetDateTime("finished_at").toInstant().toString()));
          }
          return list;
        });
  }

  /** The forwarding state of a tenant's manual decisions by event id: {@code pending}, {@code sent} or {@code failed}. */
  public Future<Map<Long, String>> forwarding(String tenantId, List<Long> eventSeqs) {
    if (eventSeqs.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery("SELECT event_seq, state FROM follow_ups WHERE tenant_id = $1 AND event_seq = ANY($2) "
            + "AND kind = '" + PROVIDER_FORWARD + "'")
        // Added one by one: Tuple.of(a, array) would spread the array.
        .execute(Tuple.tuple().addValue(tenantId).addValue(eventSeqs.toArray(new Long[0])))
        .map(rows -> {
          Map<Long, String> states = new HashMap<>();
          for (Row r : rows) {
            String state = r.getString(1);
            states.put(r.getLong(0), state.equals("done") ? "sent" : state);
          }
          return states;
        });
  }

  /** How many follow-ups there are per state and kind, for the gauges: "state kind" -> count. */
  public Future<Map<String, Long>> counts() {
    return pool.preparedQuery("SELECT state, kind, count(*) FROM follow_ups WHERE state <> 'done' GROUP BY state, kind")
        .execute()
        .map(rows -> {
          Map<String, Long> counts = new HashMap<>();
          rows.forEach(r -> counts.put(r.getString(0) + " " + r.getString(1), r.getLong(2)));
          return counts;
        });
  }

  private static boolean rowsChanged(int count) {
    return count > 0;
  }

  private static String clip(String error) {
    return error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
  }
}
