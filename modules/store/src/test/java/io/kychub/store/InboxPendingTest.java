package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Migration V9 moves "not applied yet" out of the inbox row into {@code inbox_pending}: what was
 * unapplied before the upgrade stays pending with its attempts and error, what was applied does
 * not come back, and every insert into the inbox, whoever makes it (a node of the older version
 * during an upgrade), lists the delivery as pending.
 */
class InboxPendingTest {

  @Test
  void theUpgradeKeepsWhatWasPendingAndEveryInsertIsPendingAfterIt() throws Exception {
    String url = TestDatabase.freshDatabaseUrl(InboxPendingTest.class);
    Database.migrations(url).target("8").load().migrate();
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, url, 2);
      String v8Insert = "INSERT INTO inbox (tenant_id, provider, idempotency_key, received_at, body, key_digest, applied_at, "
          + "attempts, last_error) VALUES ('acme', 'ripio', $1, now(), '\\x7b7d'::bytea, $2, $3, $4, $5) RETURNING id";
      long applied = insert(pool, v8Insert, Tuple.of("k-applied", digest("k-applied"), java.time.OffsetDateTime.now(), 0, null));
      long tried = insert(pool, v8Insert, Tuple.of("k-tried", digest("k-tried"), null, 3, "redrive failed: once"));

      assertThat(Database.migrate(vertx, url).await(60, TimeUnit.SECONDS)).isPositive();
      assertThat(rows(pool, "SELECT id, attempts, last_error FROM inbox_pending ORDER BY id"))
          .containsExactly(tried + "/3/redrive failed: once");
      assertThat(rows(pool, "SELECT count(*) FROM inbox")).containsExactly("2");

      // An older node's insert (no pending row of its own) and the hub's batch insert: both pending.
      long older = insert(pool, "INSERT INTO inbox (tenant_id, provider, idempotency_key, received_at, body, key_digest) "
          + "VALUES ('acme', 'ripio', 'k-older', now(), '\\x7b7d'::bytea, $1) RETURNING id", Tuple.of(digest("k-older")));
      InboxStore inbox = new InboxStore(pool, 16, 1);
      long fresh = inbox.append(new InboxStore.Entry("acme", "ripio", "k-new", Instant.now(), new JsonObject(), "{}".getBytes()))
          .await(10, TimeUnit.SECONDS).id();
      assertThat(inbox.append(new InboxStore.Entry("acme", "ripio", "k-new", Instant.now(), new JsonObject(), "{}".getBytes()))
          .await(10, TimeUnit.SECONDS).duplicate()).isTrue();
      assertThat(rows(pool, "SELECT id FROM inbox_pending ORDER BY id"))
          .containsExactly(String.valueOf(tried), String.valueOf(older), String.valueOf(fresh));
      assertThat(inbox.unappliedCount().await(10, TimeUnit.SECONDS)).isEqualTo(3);
      assertThat(applied).isPositive();
      pool.close().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static Buffer digest(String key) {
    return Buffer.buffer(InboxStore.keyDigest("acme", "ripio", key));
  }

  private static long insert(Pool pool, String sql, Tuple params) throws Exception {
    return pool.preparedQuery(sql).execute(params).await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  private static List<String> rows(Pool pool, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    for (Row row : pool.query(sql).execute().await(10, TimeUnit.SECONDS)) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        cells.add(String.valueOf(row.getValue(i)));
      }
      out.add(String.join("/", cells));
    }
    return out;
  }
}
