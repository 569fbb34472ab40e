package io.kychub.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Who changed what, when. Callers never put a secret into {@code details}. */
public final class AuditStore {

  private final Pool pool;

  public AuditStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> record(String actor, String action, String target, JsonObject details) {
    return pool.preparedQuery("INSERT INTO audit_log (actor, action, target, details) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(actor, action, target, details == null ? new JsonObject() : details))
        .mapEmpty();
  }

  /** Newest first; {@code beforeIdOrNull} pages back from an entry id. */
  public Future<List<JsonObject>> list(int limit, Long beforeIdOrNull) {
    return pool.preparedQuery("SELECT id, at, actor, action, target, details FROM audit_log"
            + " WHERE ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $1")
        .execute(Tuple.of(limit, beforeIdOrNull))
        .map(rows -> {
          List<JsonObject> entries = new ArrayList<>();
          rows.forEach(row -> entries.add(toJson(row)));
          return entries;
        });
  }

  private static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("at", row.getOffsetDateTime("at").toInstant().toString())
        .put("actor", row.getString("actor"))
        .put("action", row.getString("action"))
        .put("target", row.getString("target"))
        .put("details", row.getJsonObject("details"));
  }
}
