package io.kychub.store;

import io.kychub.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** A migrated fresh database and a pool per test class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseTestBase {

  Vertx vertx;
  Pool pool;

  @BeforeAll
  void openDatabase() throws Exception {
    String url = TestDatabase.freshDatabaseUrl(getClass());
    vertx = Vertx.vertx();
    Database.migrate(vertx, url).await(60, TimeUnit.SECONDS);
    pool = Database.pool(vertx, url, 4);
  }

  @AfterAll
  void closeDatabase() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }
}
