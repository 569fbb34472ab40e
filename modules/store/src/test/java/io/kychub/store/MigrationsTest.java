package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void migrationsCreateEveryTableAndAreIdempotent() throws Exception {
    String url = TestDatabase.freshDatabaseUrl(MigrationsTest.class);
    Vertx vertx = Vertx.vertx();
    try {
      int first = Database.migrate(vertx, url).await(60, TimeUnit.SECONDS);
      int second = Database.migrate(vertx, url).await(60, TimeUnit.SECONDS);
      assertThat(first).isGreaterThanOrEqualTo(5);
      assertThat(second).isZero();
      Pool pool = Database.pool(vertx, url, 2);
      List<String> tables = new ArrayList<>();
      for (Row row : pool.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
          .execute().await(10, TimeUnit.SECONDS)) {
        tables.add(row.getString(0));
      }
      assertThat(tables).contains("tenants", "tenant_sequences", "provider_credentials", "api_keys", "audit_log",
          "inbox", "customers", "verifications", "events");
      pool.close().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
