package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kychub.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A database address whose host is a directory goes over PostgreSQL's Unix domain socket, for the pool and for Flyway. */
class UnixSocketTest {

  private static final String SOCKET_DIR = "/var/run/postgresql";

  @Test
  void aDirectoryHostIsAUnixSocketForFlywayToo() {
    PgConnectOptions socket = Database.connectOptions("postgresql://kyc@/hub?host=/run/pg&port=5433");
    assertThat(Database.isUnixSocket(socket)).isTrue();
    assertThat(Database.jdbcUrl(socket)).isEqualTo("jdbc:postgresql://localhost:5433/hub?socketFactory="
        + "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg&socketFactoryArg=/run/pg/.s.PGSQL.5433&sslmode=disable");
    PgConnectOptions tcp = Database.connectOptions("postgresql://kyc@db.internal:5432/hub");
    assertThat(Database.isUnixSocket(tcp)).isFalse();
    assertThat(Database.jdbcUrl(tcp)).isEqualTo("jdbc:postgresql://db.internal:5432/hub");
  }

  @Test
  void migratesAndQueriesOverTheLocalServersSocket() throws Exception {
    String tcpUrl = TestDatabase.freshDatabaseUrl(UnixSocketTest.class);
    PgConnectOptions tcp = Database.connectOptions(tcpUrl);
    // Only where the tests' server is this machine's own, with its socket in the usual place.
    assumeTrue(tcp.getHost().equals("127.0.0.1") && Files.exists(Path.of(SOCKET_DIR, ".s.PGSQL." + tcp.getPort())),
        "no local PostgreSQL socket in " + SOCKET_DIR);
    String url = "postgresql://" + tcp.getUser() + "@/" + tcp.getDatabase() + "?host=" + SOCKET_DIR + "&port=" + tcp.getPort();
    // Vert.x reaches a Unix socket through its native transport (netty epoll), as the hub node does.
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      assertThat(vertx.isNativeTransportEnabled()).isTrue();
      assertThat(Database.migrate(vertx, url).await(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(8);
      Pool pool = Database.pool(vertx, url, 1);
      Row row = pool.query("SELECT inet_server_addr() IS NULL AS over_socket, count(*) AS tenants FROM tenants")
          .execute().await(10, TimeUnit.SECONDS).iterator().next();
      // inet_server_addr() is NULL exactly when the session came in over a Unix socket.
      assertThat(row.getBoolean("over_socket")).isTrue();
      assertThat(row.getLong("tenants")).isZero();
      pool.close().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
