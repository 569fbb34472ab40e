package io.kychub.clusterit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server this test alone owns (embedded, on its own port and data directory), so it
 * can be stopped and started again without disturbing anyone else's tests. The data directory
 * survives a restart, as a real server's would.
 */
final class OwnedPostgres implements AutoCloseable {

  static final String DATABASE = "kyc";

  private final Path dataDir;
  private final Path log;
  private final int port;
  private EmbeddedPostgres server;

  private OwnedPostgres(Path dataDir, Path log, int port) {
    this.dataDir = dataDir;
    this.log = log;
    this.port = port;
  }

  static OwnedPostgres start(Path dataDir, Path log, int port) throws Exception {
    deleteRecursively(dataDir);
    Files.createDirectories(log.getParent());
    Files.deleteIfExists(log);
    OwnedPostgres pg = new OwnedPostgres(dataDir, log, port);
    pg.startServer();
    try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + DATABASE);
    }
    return pg;
  }

  private void startServer() throws IOException {
    server = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir.toFile())
        .setCleanDataDirectory(false)
        .setPort(port)
        .setServerConfig("listen_addresses", "127.0.0.1")
        // A commit the hub acknowledges must be on disk, as in production (the embedded default is off).
        .setServerConfig("synchronous_commit", "on")
        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** What the hub nodes are given as {@code KYC_DB_URL}. */
  String url() {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + DATABASE;
  }

  /** Stops the server (fast shutdown: open sessions are cut off); returns once it is down. */
  synchronized void stop() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Starts it again on the same port and data. */
  synchronized void restart() throws IOException {
    if (server == null) {
      startServer();
    }
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
  }

  /** Rows of a query on the hub's database, each as an array of its column values. */
  List<Object[]> query(String sql) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    try (Connection c = connect(DATABASE); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Object[] row = new Object[columns];
        for (int i = 0; i < columns; i++) {
          row[i] = rs.getObject(i + 1);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  long count(String sql) throws SQLException {
    return ((Number) query(sql).get(0)[0]).longValue();
  }

  @Override
  public void close() throws IOException {
    stop();
    deleteRecursively(dataDir);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
