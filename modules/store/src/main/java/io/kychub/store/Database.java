package io.kychub.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Opens the connection pool and applies the Flyway migrations (off the event loop).
 *
 * <p>The pool outlives a database outage by itself: a connection the server closed leaves the
 * pool, and every request opens new connections as needed, so the node works again as soon as
 * PostgreSQL answers. Meanwhile requests fail fast instead of queueing: a connect attempt gives
 * up after {@link #CONNECT_TIMEOUT_MILLIS} and a wait for a free connection after
 * {@link #ACQUIRE_TIMEOUT_SECONDS}, so ingress can answer 503 well before a provider's timeout.
 */
public final class Database {

  static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  static final int ACQUIRE_TIMEOUT_SECONDS = 10;

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
        .with(new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(100_000).setName(name)
            .setConnectionTimeout(ACQUIRE_TIMEOUT_SECONDS).setConnectionTimeoutUnit(TimeUnit.SECONDS))
        // Keep-alive: a server host that vanished without closing its sockets is found out (after the OS's keep-alive time).
        .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS).setTcpKeepAlive(true))
        .connectingTo(connectOptions(url))
        .using(vertx)
        .build();
  }

  /**
   * The JDBC address of the same database (for Flyway). A host that is a directory is a Unix
   * domain socket, as in libpq: the JDBC driver then connects through junixsocket.
   */
  static String jdbcUrl(PgConnectOptions o) {
    if (isUnixSocket(o)) {
      return "jdbc:postgresql://localhost:" + o.getPort() + "/" + o.getDatabase()
          + "?socketFactory=org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg&socketFactoryArg="
          + o.getHost() + "/.s.PGSQL." + o.getPort() + "&sslmode=disable";
    }
    return "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
  }

  /** True when the address names a Unix domain socket directory (e.g. {@code ?host=/var/run/postgresql}). */
  public static boolean isUnixSocket(PgConnectOptions o) {
    return o.getHost() != null && o.getHost().startsWith("/");
  }

  /** Applies every pending migration; blocking JDBC work runs on a worker thread. */
  public static Future<Integer> migrate(Vertx vertx, String url) {
    return vertx.executeBlocking(() -> migrations(url).load().migrate().migrationsExecuted);
  }

  /** The hub's Flyway setup for the database at {@code url} (tests may stop it at an earlier version). */
  static FluentConfiguration migrations(String url) {
    PgConnectOptions o = connectOptions(url);
    String jdbc = jdbcUrl(o);
    return Flyway.configure(Database.class.getClassLoader())
        .dataSource(jdbc, o.getUser(), o.getPassword() == null ? "" : o.getPassword())
        .locations("classpath:db/migration");
  }
}
