package io.kychub.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/** Opens the connection pool and applies the Flyway migrations (off the event loop). */
public final class Database {

  private Database() {}

  public static PgConnectOptions connectOptions(String url) {
    PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^postgres://", "postgresql://"));
    // Prepared statements are cached per connection: every hot statement is parsed once.
    return options.setCachePreparedStatements(true).setPipeliningLimit(256).setReconnectAttempts(0);
  }

  public static Pool pool(Vertx vertx, String url, int size) {
    return pool(vertx, url, size, "kyc-db");
  }

  /** A pool of its own, e.g. one per HTTP listener for the inbox, so webhooks never queue behind other work. */
  public static Pool pool(Vertx vertx, String url, int size, String name) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(100_000).setName(name))
        .connectingTo(connectOptions(url))
        .using(vertx)
        .build();
  }

  /** Applies every pending migration; blocking JDBC work runs on a worker thread. */
  public static Future<Integer> migrate(Vertx vertx, String url) {
    return vertx.executeBlocking(() -> {
      PgConnectOptions o = connectOptions(url);
      Properties props = new Properties();
      String jdbc = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
      Flyway flyway = Flyway.configure(Database.class.getClassLoader())
          .dataSource(jdbc, o.getUser(), o.getPassword() == null ? "" : o.getPassword())
          .locations("classpath:db/migration")
          .configuration(props)
          .load();
      return flyway.migrate().migrationsExecuted;
    });
  }
}
