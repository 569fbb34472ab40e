package io.kychub.stream;

import io.kychub.model.Addresses;
import io.kychub.model.DecidedBy;
import io.kychub.model.KycStatus;
import io.kychub.model.Reason;
import io.kychub.model.StatusChangedEvent;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays the reconciler in tests: commits events the way the store does (sequence row, then the
 * event, one transaction) and publishes them on the event bus.
 */
final class EventLogFixture {

  private final Vertx vertx;
  private final Pool pool;

  EventLogFixture(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  void createTenant(String tenantId) {
    Await.result(pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO tenants (id, name) VALUES ($1, $1)").execute(Tuple.of(tenantId))
            .compose(r -> conn.preparedQuery("INSERT INTO tenant_sequences (tenant_id) VALUES ($1)").execute(Tuple.of(tenantId)))));
  }

  StatusChangedEvent commit(String tenantId, String customerId) {
    return commit(tenantId, customerId, 1, null).get(0);
  }

  /** Commits {@code count} events of one customer in one transaction, ids following the tenant's last. */
  List<StatusChangedEvent> commit(String tenantId, String customerId, int count, Reason reason) {
    return Await.result(pool.withTransaction(conn -> conn
            .preparedQuery("UPDATE tenant_sequences SET last_seq = last_seq + $2 WHERE tenant_id = $1 RETURNING last_seq")
            .execute(Tuple.of(tenantId, count))
            .compose(rows -> {
              long last = rows.iterator().next().getLong(0);
              List<StatusChangedEvent> events = new ArrayList<>();
              List<Tuple> tuples = new ArrayList<>();
              for (long seq = last - count + 1; seq <= last; seq++) {
                StatusChangedEvent event = event(seq, tenantId, customerId, reason);
                events.add(event);
                tuples.add(Tuple.of(tenantId, seq, customerId, event.toJson()));
              }
              return conn.preparedQuery("INSERT INTO events (tenant_id, seq, customer_id, payload) VALUES ($1, $2, $3, $4)")
                  .executeBatch(tuples)
                  .map(done -> events);
            })));
  }

  StatusChangedEvent commitAndPublish(String tenantId, String customerId) {
    StatusChangedEvent event = commit(tenantId, customerId);
    publish(event);
    return event;
  }

  void publish(StatusChangedEvent event) {
    vertx.eventBus().publish(Addresses.EVENTS, event);
  }

  static StatusChangedEvent event(long seq, String tenantId, String customerId, Reason reason) {
    return new StatusChangedEvent(seq, tenantId, customerId, "ver-" + customerId, "sovera", KycStatus.PROCESSING,
        KycStatus.PENDING, DecidedBy.PROVIDER, reason, Instant.parse("2026-11-20T10:00:00Z"),
        Instant.parse("2026-11-20T10:00:01Z").plusMillis(seq), null);
  }
}
