package io.kychub.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Map;
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

  /**
   * Planner settings of every hub connection, sent when it opens. Every statement the hub runs
   * finds its rows by key (many take their keys as arrays, joined to a table), and prepared
   * statements are cached per connection: after five runs PostgreSQL may keep one generic plan
   * for the connection's life. Made while a table was small, or after statistics said it was
   * empty, that plan hashes or sorts the whole table on every run, so each reconcile transaction
   * got slower as the table grew (measured: the customer lock 10 ms per group with 300,000
   * customers, most of PostgreSQL's time; docs/performance.md, "Keyed plans"). With these off,
   * PostgreSQL takes an index wherever one serves the statement, at any table size; a statement
   * with no usable index still scans (the settings only make the other paths look expensive).
   */
  static final Map<String, String> KEYED_PLANS =
      Map.of("enable_seqscan", "off", "enable_hashjoin", "off", "enable_mergejoin", "off");

  public static PgConnectOptions connectOptions(String url) {
    PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^postgres://", "postgresql://"));
    KEYED_PLANS.forEach(options::addProperty);
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

  /**
   * True when PostgreSQL refused a statement because of a value it was given (a data exception,
   * class 22, such as a NUL byte or a string too long; an integrity violation, class 23; a value
   * over a size limit, 54000): the caller's input is wrong, the database is not down.
   */
  public static boolean causedByInput(Throwable err) {
    Throwable cause = err;
    while (cause != null && !(cause instanceof PgException)) {
      cause = cause.getCause();
    }
    if (cause == null) {
      return false;
    }
    String state = ((PgException) cause).getSqlState();
    return state != null && (state.startsWith("22") || state.startsWith("23") || state.equals("54000"));
  }

  /**
   * True when a failure is the database (or the connection to it) being unavailable rather than a
   * fault of the request or of the code: a refused or broken connection, a timeout waiting for one,
   * or an error PostgreSQL reported that no input caused.
   */
  public static boolean isOutage(Throwable err) {
    for (Throwable cause = err; cause != null; cause = cause.getCause()) {
      if (cause instanceof PgException) {
        return !causedByInput(cause);
      }
      if (cause instanceof java.io.IOException || cause instanceof java.util.concurrent.TimeoutException
          || cause instanceof io.vertx.core.VertxException || cause instanceof io.vertx.core.impl.NoStackTraceThrowable
          || cause instanceof io.vertx.sqlclient.ClosedConnectionException) {
        return true;
      }
    }
    return false;
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
