package io.kychub.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Gives each test class a fresh, empty PostgreSQL database and returns its {@code postgresql://}
 * URL. The server is chosen once per JVM: {@code KYC_TEST_DB_URL} when set, else Testcontainers
 * when a Docker engine answers, else the local server on 127.0.0.1:5432 (user postgres), else an
 * embedded PostgreSQL (zonky). Databases made here are dropped when the JVM exits.
 */
public final class TestDatabase {

  private static final List<String> CREATED = new CopyOnWriteArrayList<>();
  private static Server server;

  private TestDatabase() {}

  /** A server's admin connection: host, port, user, password and a database to connect to. */
  private record Server(String host, int port, String user, String password, String adminDb, String source) {
    String url(String db) {
      String auth = password == null ? user : user + ":" + password;
      return "postgresql://" + auth + "@" + host + ":" + port + "/" + db;
    }

    String jdbc(String db) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    Connection connect(String db) throws SQLException {
      return DriverManager.getConnection(jdbc(db), user, password == null ? "" : password);
    }
  }

  /** A new empty database for {@code owner} (usually the test class). */
  public static synchronized String freshDatabaseUrl(Class<?> owner) {
    Server s = server();
    String name = ("kyc_t_" + owner.getSimpleName() + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL))
        .toLowerCase(Locale.ROOT);
    try (Connection c = s.connect(s.adminDb()); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + s.source(), e);
    }
    CREATED.add(name);
    return s.url(name);
  }

  /** Where the test databases live, for logs: env, testcontainers, local or embedded. */
  public static synchronized String source() {
    return server().source();
  }

  private static Server server() {
    if (server == null) {
      server = chooseServer();
      Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropCreated, "test-db-cleanup"));
    }
    return server;
  }

  private static Server chooseServer() {
    String env = System.getenv("KYC_TEST_DB_URL");
    if (env != null && !env.isBlank()) {
      URI u = URI.create(env.trim().replaceFirst("^postgres(ql)?://", "http://"));
      String[] userInfo = u.getUserInfo() == null ? new String[] {"postgres"} : u.getUserInfo().split(":", 2);
      String db = u.getPath() == null || u.getPath().length() <= 1 ? "postgres" : u.getPath().substring(1);
      return new Server(u.getHost(), u.getPort() < 0 ? 5432 : u.getPort(), userInfo[0],
          userInfo.length > 1 ? userInfo[1] : null, db, "KYC_TEST_DB_URL");
    }
    if (dockerAvailable()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
      container.start();
      return new Server(container.getHost(), container.getMappedPort(5432), container.getUsername(),
          container.getPassword(), container.getDatabaseName(), "testcontainers");
    }
    if (answers("127.0.0.1", 5432)) {
      return new Server("127.0.0.1", 5432, "postgres", null, "postgres", "local 127.0.0.1:5432");
    }
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException ignored) {
          // the JVM is going away
        }
      }, "embedded-pg-stop"));
      return new Server("127.0.0.1", pg.getPort(), "postgres", null, "postgres", "embedded (zonky)");
    } catch (IOException e) {
      throw new IllegalStateException("no PostgreSQL: KYC_TEST_DB_URL unset, no Docker, nothing on 127.0.0.1:5432, embedded start failed", e);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void dropCreated() {
    Server s = server;
    if (s == null || CREATED.isEmpty()) {
      return;
    }
    try (Connection c = s.connect(s.adminDb()); Statement st = c.createStatement()) {
      for (String name : CREATED) {
        st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    } catch (SQLException ignored) {
      // best effort: a left-over test database harms nothing
    }
  }
}
