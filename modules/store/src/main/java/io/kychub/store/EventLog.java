package io.kychub.store;

import io.kychub.model.StatusChangedEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Reads the per-tenant event log: SSE replay and customer history. Events are written by {@link KycStore}. */
public final class EventLog {

  private final Pool pool;

  public EventLog(Pool pool) {
    this.pool = pool;
  }

  /**
   * Up to {@code limit} events of a tenant with a sequence above {@code afterSeq}, oldest first,
   * optionally only one customer's.
   */
  public Future<List<StatusChangedEvent>> after(String tenantId, long afterSeq, String customerIdOrNull, int limit) {
    Future<io.vertx.sqlclient.RowSet<Row>> rows = customerIdOrNull == null
        ? pool.preparedQuery("SELECT payload FROM events WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3")
            .execute(Tuple.of(tenantId, afterSeq, limit))
        : pool.preparedQuery(
                "SELECT payload FROM events WHERE tenant_id = $1 AND customer_id = $2 AND seq > $3 ORDER BY seq LIMIT $4")
            .execute(Tuple.of(tenantId, customerIdOrNull, afterSeq, limit));
    return rows.map(EventLog::toEvents);
  }

  /** The newest sequence number of a tenant (0 when it has no event yet). */
  public Future<Long> lastSeq(String tenantId) {
    return pool.preparedQuery("SELECT last_seq FROM tenant_sequences WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId))
        .map(rs -> rs.size() == 0 ? 0L : rs.iterator().next().getLong(0));
  }

  /** A customer's whole history, oldest first. */
  public Future<List<StatusChangedEvent>> history(String tenantId, String customerId, int limit) {
    return pool.preparedQuery("SELECT payload FROM events WHERE tenant_id = $1 AND customer_id = $2 ORDER BY seq LIMIT $3")
        .execute(Tuple.of(tenantId, customerId, limit))
        .map(EventLog::toEvents);
  }

  private static List<StatusChangedEvent> toEvents(Iterable<Row> rows) {
    List<StatusChangedEvent> events = new ArrayList<>();
    for (Row row : rows) {
      events.add(StatusChangedEvent.fromJson((JsonObject) row.getValue(0)));
    }
    return events;
  }
}
