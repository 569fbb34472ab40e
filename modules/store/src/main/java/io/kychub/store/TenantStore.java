package io.kychub.store;

import io.kychub.model.ReusePolicy;
import io.kychub.model.Tenant;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tenants table (and each tenant's event sequence row). */
public final class TenantStore {

  private static final String COLUMNS = "id, name, enabled, reuse_share, reuse_accept, reuse_max_age_days, created_at";

  private final Pool pool;

  public TenantStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts the tenant and its sequence row together; fails with {@link ConflictException} when the id exists. */
  public Future<Tenant> create(Tenant t) {
    return pool.withTransaction(conn -> conn
        .preparedQuery("INSERT INTO tenants (id, name, enabled, reuse_share, reuse_accept, reuse_max_age_days)"
            + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING " + COLUMNS)
        .execute(Tuple.of(t.id(), t.name(), t.enabled(), t.reuse().share(), t.reuse().accept(), t.reuse().maxAgeDays()))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ConflictException("tenant '" + t.id() + "' already exists"))
            : conn.preparedQuery("INSERT INTO tenant_sequences (tenant_id) VALUES ($1)")
                .execute(Tuple.of(t.id()))
                .map(ignored -> toTenant(rows.iterator().next()))));
  }

  public Future<Optional<Tenant>> find(String id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM tenants WHERE id = $1")
        .execute(Tuple.of(id))
        .map(TenantStore::first);
  }

  public Future<List<Tenant>> list() {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM tenants ORDER BY id")
        .execute()
        .map(rows -> {
          List<Tenant> tenants = new ArrayList<>();
          rows.forEach(row -> tenants.add(toTenant(row)));
          return tenants;
        });
  }

  /** Every tenant's id and whether it is enabled. */
  public Future<Map<String, Boolean>> enabledFlags() {
    return pool.preparedQuery("SELECT id, enabled FROM tenants").execute().map(TenantStore::flags);
  }

  /** One tenant's enabled flag; empty when there is no such tenant. */
  public Future<Map<String, Boolean>> enabledFlag(String id) {
    return pool.preparedQuery("SELECT id, enabled FROM tenants WHERE id = $1").execute(Tuple.of(id)).map(TenantStore::flags);
  }

  private static Map<String, Boolean> flags(Iterable<Row> rows) {
    Map<String, Boolean> flags = new HashMap<>();
    rows.forEach(r -> flags.put(r.getString(0), r.getBoolean(1)));
    return flags;
  }

  /** Changes the given fields (null = keep); empty when the tenant does not exist. */
  public Future<Optional<Tenant>> update(String id, String nameOrNull, Boolean enabledOrNull, ReusePolicy reuseOrNull) {
    return pool.preparedQuery("UPDATE tenants SET name = COALESCE($2, name), enabled = COALESCE($3, enabled),"
            + " reuse_share = COALESCE($4, reuse_share), reuse_accept = COALESCE($5, reuse_accept),"
            + " reuse_max_age_days = COALESCE($6, reuse_max_age_days), updated_at = now()"
            + " WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, nameOrNull, enabledOrNull,
            reuseOrNull == null ? null : reuseOrNull.share(),
            reuseOrNull == null ? null : reuseOrNull.accept(),
            reuseOrNull == null ? null : reuseOrNull.maxAgeDays()))
        .map(TenantStore::first);
  }

  /** Disables the tenant; its data stays. False when it does not exist. */
  public Future<Boolean> disable(String id) {
    return pool.preparedQuery("UPDATE tenants SET enabled = false, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0);
  }

  private static Optional<Tenant> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toTenant(rows.iterator().next()));
  }

  private static Tenant toTenant(Row row) {
    return new Tenant(
        row.getString("id"),
        row.getString("name"),
        row.getBoolean("enabled"),
        new ReusePolicy(row.getBoolean("reuse_share"), row.getBoolean("reuse_accept"), row.getInteger("reuse_max_age_days")),
        row.getOffsetDateTime("created_at").toInstant());
  }
}
