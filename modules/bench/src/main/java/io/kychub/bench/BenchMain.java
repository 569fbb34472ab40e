package io.kychub.bench;

import io.kychub.app.HubMain;
import io.kychub.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar modules/bench/target/kyc-bench.jar [options]}: runs the benchmark against the
 * local PostgreSQL, prints one table and writes the JSON result.
 *
 * <pre>
 *   --smoke               every phase with tiny counts (a few seconds; what CI runs)
 *   --pg URL              PostgreSQL to create the run's databases on (the local server's Unix socket,
 *                         postgresql://postgres@/postgres?host=/var/run/postgresql, when it exists, else
 *                         postgresql://postgres@127.0.0.1:5432/postgres)
 *   --work DIR            logs, scripts and result.json (target/bench)
 *   --out FILE            the JSON result (default DIR/result.json; a directory gets result.json inside)
 *   --hub-jar FILE        the hub to run (modules/app/target/kyc-hub.jar when built, else this classpath)
 *   --hub-heap SIZE       the hub's and the bare server's -Xmx (1g)
 *   --hub-env KEY=VALUE   extra hub configuration, e.g. KYC_DB_POOL_SIZE=8 (repeatable)
 *   --hub-jvm OPTION      an extra JVM option of the hub, e.g. a profiler's -agentpath (repeatable)
 *   --jfr                 record the hub with Java Flight Recorder into DIR/hub.jfr
 *   --phases LIST         some of limits,ingest,e2e,fanout (all)
 *   --no-analyze          do not ANALYZE the hub's database after the warm-up
 *   --sse-clients N  --connections N  --pipelining N  --phase-seconds N  --ingest-rate N  --e2e-rate N
 * </pre>
 */
public final class BenchMain {

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    // The hub's logback.xml is on this classpath too: keep the benchmark's own output to the table.
    System.setProperty("KYC_LOG_LEVEL", System.getProperty("KYC_LOG_LEVEL", "WARN"));
    // Ctrl-C must not leave a hub or a bare server running.
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy), "kyc-bench-children"));
    Map<String, String> options = new HashMap<>();
    Map<String, String> hubEnv = new HashMap<>();
    List<String> hubJvm = new ArrayList<>();
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--smoke") || arg.equals("--jfr") || arg.equals("--no-analyze")) {
        flags.add(arg);
      } else if (arg.startsWith("--") && i + 1 < args.length) {
        String value = args[++i];
        if (arg.equals("--hub-jvm")) {
          hubJvm.add(value);
        } else if (arg.equals("--hub-env")) {
          String[] kv = value.split("=", 2);
          hubEnv.put(kv[0], kv.length > 1 ? kv[1] : "");
        } else {
          options.put(arg.substring(2), value);
        }
      } else {
        System.err.println("unknown argument " + arg + "; see the class comment of " + BenchMain.class.getName());
        System.exit(64);
      }
    }
    Path work = Path.of(options.getOrDefault("work", "target/bench")).toAbsolutePath();
    Files.createDirectories(work);
    String classpath = System.getProperty("java.class.path");
    ChildJvm.Launch hub = hubLaunch(options.get("hub-jar"), classpath);
    BenchSettings base = flags.contains("--smoke")
        ? BenchSettings.smoke(work, hub, classpath) : BenchSettings.full(work, hub, classpath);
    if (flags.contains("--jfr")) {
      hubJvm.add("-XX:StartFlightRecording=filename=" + work.resolve("hub.jfr") + ",settings=profile,dumponexit=true");
    }
    BenchSettings settings = customise(base, options, hubEnv, hubJvm, !flags.contains("--no-analyze"));

    String pg = options.getOrDefault("pg", defaultServer());
    try (ServerDatabases databases = new ServerDatabases(pg)) {
      JsonObject result = new Benchmark(settings, databases, System.out).run();
      // The table first: a run takes minutes, and an unwritable output must not lose its figures.
      System.out.println();
      System.out.print(ResultTable.render(result));
      Path output = Files.isDirectory(settings.output()) ? settings.output().resolve("result.json") : settings.output();
      if (output.toAbsolutePath().getParent() != null) {
        Files.createDirectories(output.toAbsolutePath().getParent());
      }
      Files.writeString(output, result.encodePrettily());
      System.out.println("\nJSON: " + output);
    }
    System.exit(0);
  }

  /** The built kyc-hub.jar when it can be found, else the hub's main class from this classpath. */
  static ChildJvm.Launch hubLaunch(String explicitJar, String classpath) {
    if (explicitJar != null) {
      return ChildJvm.Launch.jar(Path.of(explicitJar));
    }
    for (String candidate : List.of("modules/app/target/kyc-hub.jar", "../app/target/kyc-hub.jar")) {
      if (Files.isRegularFile(Path.of(candidate))) {
        return ChildJvm.Launch.jar(Path.of(candidate));
      }
    }
    return ChildJvm.Launch.main(classpath, HubMain.class);
  }

  private static BenchSettings customise(BenchSettings s, Map<String, String> o, Map<String, String> hubEnv,
      List<String> hubJvm, boolean analyze) {
    List<String> jvm = new ArrayList<>(s.hubJvmOptions());
    jvm.addAll(hubJvm);
    return new BenchSettings(s.smoke(), s.workDir(), o.containsKey("out") ? Path.of(o.get("out")) : s.output(), s.hub(),
        s.benchClasspath(), o.getOrDefault("hub-heap", s.hubHeap()), List.copyOf(jvm), Map.copyOf(hubEnv), s.tenants(),
        integer(o, "connections", s.connections()), integer(o, "pipelining", s.pipelining()), s.warmup(),
        o.containsKey("phase-seconds") ? java.time.Duration.ofSeconds(integer(o, "phase-seconds", 0)) : s.phase(),
        s.maxRequests(), integer(o, "ingest-rate", s.ingestRate()), integer(o, "e2e-rate", s.e2eRate()),
        integer(o, "sse-clients", s.sseClients()), s.fanoutEvents(), s.fanoutRate(), s.drainLimit(), s.naiveConnections(),
        o.containsKey("phases") ? Set.of(o.get("phases").split(",")) : s.phases(), analyze);
  }

  private static int integer(Map<String, String> options, String key, int fallback) {
    return options.containsKey(key) ? Integer.parseInt(options.get(key)) : fallback;
  }

  /**
   * The local server, over its Unix socket when it has one where Debian puts it: that is how a
   * hub next to its database connects (no TCP/IP stack per round trip). pgbench and the hub's own
   * naive ceiling use the same connection, so the ratios compare like with like.
   */
  static String defaultServer() {
    return Files.exists(Path.of("/var/run/postgresql/.s.PGSQL.5432"))
        ? "postgresql://postgres@/postgres?host=/var/run/postgresql&port=5432"
        : "postgresql://postgres@127.0.0.1:5432/postgres";
  }

  /** Creates each database on one PostgreSQL server and drops it again (also when the run fails). */
  static final class ServerDatabases implements Benchmark.Databases, AutoCloseable {
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    private final String serverUrl;
    private final Pool admin;

    ServerDatabases(String serverUrl) {
      this.serverUrl = serverUrl;
      this.admin = Database.pool(vertx, serverUrl, 1);
    }

    @Override
    public String create(String label) throws Exception {
      String name = ("kyc_bench_" + label + "_" + Long.toHexString(System.nanoTime() & 0xffffffL)).toLowerCase(Locale.ROOT);
      admin.query("CREATE DATABASE " + name).execute().await(60, TimeUnit.SECONDS);
      PgConnectOptions server = Database.connectOptions(serverUrl);
      String auth = server.getPassword() == null ? server.getUser() : server.getUser() + ":" + server.getPassword();
      if (Database.isUnixSocket(server)) {
        // A Unix domain socket: the directory goes in the query (it cannot be an authority).
        return "postgresql://" + auth + "@/" + name + "?host=" + server.getHost() + "&port=" + server.getPort();
      }
      return "postgresql://" + auth + "@" + server.getHost() + ":" + server.getPort() + "/" + name;
    }

    @Override
    public void drop(String url) throws Exception {
      String name = Database.connectOptions(url).getDatabase();
      admin.query("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").execute().await(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
