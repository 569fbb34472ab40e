package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Migration V8 deduplicates the inbox by a digest: rows stored before it get the same digest the
 * hub computes for new ones, so a provider's retry of a delivery stored before the upgrade is still
 * a duplicate after it.
 */
class InboxKeyDigestTest {

  @Test
  void deliveriesStoredBeforeTheDigestStayDuplicatesAfterIt() throws Exception {
    String url = TestDatabase.freshDatabaseUrl(InboxKeyDigestTest.class);
    Database.migrations(url).target("7").load().migrate();
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, url, 2);
      // A key with characters outside ASCII: the database's UTF-8 and the hub's must agree.
      String key = "p:évènement-42-日本";
      pool.preparedQuery("INSERT INTO inbox (tenant_id, provider, idempotency_key, received_at, body) "
              + "VALUES ('acme', 'ripio', $1, now(), '\\x7b7d'::bytea)")
          .execute(Tuple.of(key)).await(10, TimeUnit.SECONDS);

      assertThat(Database.migrate(vertx, url).await(60, TimeUnit.SECONDS)).isPositive();
      byte[] stored = pool.query("SELECT key_digest FROM inbox").execute().await(10, TimeUnit.SECONDS)
          .iterator().next().getBuffer(0).getBytes();
      assertThat(stored).hasSize(16).isEqualTo(InboxStore.keyDigest("acme", "ripio", key));

      InboxStore inbox = new InboxStore(pool, 16, 1);
      InboxStore.Entry again = new InboxStore.Entry("acme", "ripio", key, Instant.now(), new JsonObject(), "{}".getBytes());
      InboxStore.Entry otherTenant = new InboxStore.Entry("acme2", "ripio", key, Instant.now(), new JsonObject(), "{}".getBytes());
      assertThat(inbox.append(again).await(10, TimeUnit.SECONDS).duplicate()).isTrue();
      InboxStore.Stored fresh = inbox.append(otherTenant).await(10, TimeUnit.SECONDS);
      assertThat(fresh.duplicate()).isFalse();
      assertThat(fresh.id()).isPositive();
      pool.close().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
