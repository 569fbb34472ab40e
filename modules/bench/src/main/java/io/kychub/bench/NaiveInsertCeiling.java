package io.kychub.bench;

import io.kychub.store.Database;
import io.kychub.store.InboxStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Limit (b), the naive durable ceiling: how many committed transactions of one inbox row each
 * PostgreSQL completes, measured with pgbench (when installed) and with the hub's own
 * {@link InboxStore} limited to one row per statement, on a scratch database with the hub's schema.
 */
final class NaiveInsertCeiling {

  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
  private static final String TENANT = "bench-naive";

  private NaiveInsertCeiling() {}

  /** pgbench at {@code clients} connections; empty when no pgbench is installed. */
  static Optional<JsonObject> pgbench(String dbUrl, int clients, Duration duration, Path workDir) throws Exception {
    Optional<Path> pgbench = findPgbench();
    if (pgbench.isEmpty()) {
      return Optional.empty();
    }
    Path script = workDir.resolve("naive-insert.pgbench");
    try (InputStream in = NaiveInsertCeiling.class.getResourceAsStream("naive-insert.pgbench")) {
      Files.write(script, in.readAllBytes());
    }
    PgConnectOptions db = Database.connectOptions(dbUrl);
    String body = HexFormat.of().formatHex(sampleBody());
    List<String> command = List.of(pgbench.get().toString(), "-h", db.getHost(), "-p", Integer.toString(db.getPort()),
        "-U", db.getUser(), "-n", "-M", "prepared", "-c", Integer.toString(clients),
        "-j", Integer.toString(Math.min(clients, Runtime.getRuntime().availableProcessors())),
        "-T", Long.toString(Math.max(1, duration.toSeconds())), "-D", "tenant=" + TENANT, "-D", "body=" + body,
        "-f", script.toString(), db.getDatabase());
    Path log = workDir.resolve("pgbench-c" + clients + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    if (db.getPassword() != null) {
      builder.environment().put("PGPASSWORD", db.getPassword());
    }
    Process process = builder.start();
    if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("pgbench did not finish; see " + log);
    }
    Matcher tps = TPS.matcher(Files.readString(log, StandardCharsets.UTF_8));
    if (process.exitValue() != 0 || !tps.find()) {
      throw new IllegalStateException("pgbench failed (exit " + process.exitValue() + "); see " + log);
    }
    return Optional.of(new JsonObject().put("client", "pgbench").put("connections", clients)
        .put("commitsPerSecond", Math.round(Double.parseDouble(tps.group(1)))));
  }

  /**
   * The hub's inbox insert with group commit switched off ({@code batchMax} 1): {@code clients}
   * inserts in flight, each its own statement and commit, on a pool of {@code clients} connections.
   */
  static JsonObject inboxStore(Vertx vertx, String dbUrl, int clients, Duration duration) throws Exception {
    return run(vertx, dbUrl, clients, clients, 1, clients, duration)
        .put("client", "vertx-pg-client (InboxStore, batch 1)").put("connections", clients);
  }

  /**
   * Not a limit but the database's side of the hub's ingest alone: the hub's {@link InboxStore}
   * with group commit as the hub configures it, {@code inFlight} webhooks waiting to be stored.
   */
  static JsonObject groupCommit(Vertx vertx, String dbUrl, int poolSize, int inFlight, int batchMax, int statements,
      Duration duration) throws Exception {
    return run(vertx, dbUrl, poolSize, inFlight, batchMax, statements, duration)
        .put("client", "InboxStore group commit, batches of up to " + batchMax + ", " + statements + " statements at once")
        .put("inFlight", inFlight);
  }

  private static JsonObject run(Vertx vertx, String dbUrl, int poolSize, int inFlight, int batchMax, int statements,
      Duration duration) throws Exception {
    Pool pool = Database.pool(vertx, dbUrl, poolSize);
    try {
      Promise<long[]> done = Promise.promise();
      vertx.runOnContext(v -> new Loop(new InboxStore(pool, batchMax, statements), inFlight, duration, done).begin());
      long[] committedAndNanos = done.future().await(duration.toSeconds() + 60, TimeUnit.SECONDS);
      double seconds = committedAndNanos[1] / 1e9;
      return new JsonObject().put("commitsPerSecond", Math.round(committedAndNanos[0] / seconds));
    } finally {
      pool.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Keeps {@code clients} inserts in flight until the time is up; counts the stored rows. */
  private static final class Loop {
    private final InboxStore inbox;
    private final int clients;
    private final long start = System.nanoTime();
    private final long deadline;
    private final Promise<long[]> done;
    private final byte[] body = sampleBody();
    // Every run inserts new keys: a repeated key would only be a cheaper conflict.
    private final String keyPrefix = "naive-" + Long.toHexString(System.nanoTime()) + "-";
    private long committed;
    private long next;
    private int inFlight;

    Loop(InboxStore inbox, int clients, Duration duration, Promise<long[]> done) {
      this.inbox = inbox;
      this.clients = clients;
      this.deadline = start + duration.toNanos();
      this.done = done;
    }

    void begin() {
      for (int i = 0; i < clients; i++) {
        insert();
      }
    }

    private void insert() {
      if (System.nanoTime() >= deadline) {
        if (inFlight == 0) {
          done.tryComplete(new long[] {committed, System.nanoTime() - start});
        }
        return;
      }
      inFlight++;
      Future<InboxStore.Stored> stored = inbox.append(new InboxStore.Entry(TENANT, "ripio", keyPrefix + next++,
          Instant.now(), new JsonObject(Map.of("content-type", "application/json")), body));
      stored.onComplete(ar -> {
        inFlight--;
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        committed++;
        insert();
      });
    }
  }

  private static byte[] sampleBody() {
    return Webhooks.body("ripio", "naive-customer", Instant.parse("2026-01-01T00:00:00Z")).getBytes(StandardCharsets.UTF_8);
  }

  private static Optional<Path> findPgbench() throws IOException {
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      candidates.add(Path.of(dir, "pgbench"));
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (var versions = Files.list(debian)) {
        versions.sorted().forEach(v -> candidates.add(v.resolve("bin/pgbench")));
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }
}
