package io.kychub.bench;

import io.kychub.admin.AdminTokens;
import io.kychub.model.HubConfig;
import io.kychub.store.Database;
import io.kychub.store.InboxStore;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs every phase in order and collects one JSON result: the two limits first (PostgreSQL's
 * naive insert rate, then the bare HTTP server), then the hub as a child process on a fresh
 * database: ingest at a fixed and at maximum rate, end to end at a fixed rate and near
 * saturation, and SSE fan-out with the hub's memory.
 */
final class Benchmark {

  /** Where the benchmark's databases come from: each call a new, empty one. */
  interface Databases {
    String create(String label) throws Exception;

    void drop(String url) throws Exception;
  }

  private final BenchSettings settings;
  private final Databases databases;
  private final PrintStream progress;
  private final int loops = Math.max(2, Runtime.getRuntime().availableProcessors());
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
  private final List<Webhooks.Tenant> tenants = new ArrayList<>();

  private static final int RATE_WINDOW_SECONDS = 5;

  Benchmark(BenchSettings settings, Databases databases, PrintStream progress) {
    this.settings = settings;
    this.databases = databases;
    this.progress = progress;
  }

  JsonObject run() throws Exception {
    Files.createDirectories(settings.workDir());
    JsonObject result = new JsonObject()
        .put("date", Instant.now().toString())
        .put("machine", Machine.describe())
        .put("loadAverageAtStart", Machine.loadAverage())
        .put("note", "load generator, hub and PostgreSQL share this machine's cores")
        .put("settings", settings.toJson());
    for (int i = 1; i <= settings.tenants(); i++) {
      tenants.add(new Webhooks.Tenant("bench-t" + i, "whk-bench-t" + i + "-" + HubAdmin.randomHex(12), null));
    }
    try {
      JsonObject limits = new JsonObject();
      result.put("limits", limits);
      if (settings.runs("limits")) {
        limits.put("naiveDurable", naiveDurableCeiling());
        limits.put("bareHttp", bareHttpCeiling());
        limits.put("durableBare", durableBareCeiling());
      }
      result.put("hub", hub());
      result.put("summary", summary(result));
      result.put("loadAverageAtEnd", Machine.loadAverage());
      return result;
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  // --- limits --------------------------------------------------------------------------------

  private JsonObject naiveDurableCeiling() throws Exception {
    say("limit (b): naive durable inserts, one row per commit");
    String url = databases.create("naive");
    try {
      Database.migrate(vertx, url).await(120, TimeUnit.SECONDS);
      JsonArray runs = new JsonArray();
      long best = 0;
      for (int clients : settings.naiveConnections()) {
        String load = Machine.loadAverage();
        var pgbench = NaiveInsertCeiling.pgbench(url, clients, settings.phase(), settings.workDir());
        if (pgbench.isPresent()) {
          runs.add(pgbench.get().put("loadAverage", load));
          best = Math.max(best, pgbench.get().getLong("commitsPerSecond"));
        }
        JsonObject java = NaiveInsertCeiling.inboxStore(vertx, url, clients, settings.phase()).put("loadAverage", load);
        runs.add(java);
        best = Math.max(best, java.getLong("commitsPerSecond"));
      }
      JsonObject groupCommit = NaiveInsertCeiling.groupCommit(vertx, url, hubInsertStatements(), settings.inFlight(),
          hubBatchMax(), hubInsertStatements(), settings.phase()).put("loadAverage", Machine.loadAverage());
      return new JsonObject().put("runs", runs).put("commitsPerSecond", best).put("groupCommit", groupCommit);
    } finally {
      databases.drop(url);
    }
  }

  /** The hub's inbox batching as PublicHttpVerticle sets it: two connections per listener, one listener per loop. */
  private int hubBatchMax() {
    return Integer.parseInt(settings.hubEnv().getOrDefault(HubConfig.INBOX_BATCH_MAX.name(), HubConfig.INBOX_BATCH_MAX.defaultValue()));
  }

  private int hubInboxInFlight() {
    return Integer.parseInt(settings.hubEnv().getOrDefault(HubConfig.INBOX_IN_FLIGHT.name(), HubConfig.INBOX_IN_FLIGHT.defaultValue()));
  }

  private int hubInsertStatements() {
    return loops * 2;
  }

  private JsonObject bareHttpCeiling() throws Exception {
    say("limit (a): bare Vert.x server, authentication only");
    int port = freePort();
    Webhooks webhooks = new Webhooks(tenants);
    try (ChildJvm bare = bareServer(port, null, "bare.log")) {
      try (LoadGenerator load = generator(port)) {
        List<Webhooks.Webhook> requests = settled(webhooks.make("b-", Math.min(settings.maxRequests(), 100_000)));
        load.maxRateRepeating(requests, 50L * settings.maxRequests(), settings.warmup());
        String average = Machine.loadAverage();
        CpuUsage cpu = new CpuUsage(bare.pid());
        LoadGenerator.Result max = load.maxRateRepeating(requests, 50L * settings.maxRequests(), settings.phase());
        return max.toJson().put("loadAverage", average).put("cpu", cpu.since()).put("rssBytes", bare.rssBytes());
      }
    }
  }

  /**
   * Limit (c): the bare server storing what it authenticated, exactly as the hub's ingress does
   * before it answers (parse, idempotency key, group-committed inbox insert), and nothing else:
   * no routing, rate limit, tenant lookup, dispatch or reconciler. Measured like the hub's
   * maximum-rate phase, a burst of new webhooks (a repeated one would be a cheaper duplicate),
   * after bursts of others until its JIT has settled (the hub gets the same courtesy).
   */
  private JsonObject durableBareCeiling() throws Exception {
    say("limit (c): bare Vert.x server storing each webhook durably, nothing applied");
    String url = databases.create("durable");
    int port = freePort();
    Webhooks webhooks = new Webhooks(tenants);
    try {
      Database.migrate(vertx, url).await(120, TimeUnit.SECONDS);
      try (ChildJvm bare = bareServer(port, url, "durable-bare.log"); LoadGenerator load = generator(port)) {
        JsonArray jit = new JsonArray();
        int rounds = settings.smoke() ? 1 : 6;
        for (int round = 1; round <= rounds; round++) {
          double before = bare.jitSeconds();
          long start = System.nanoTime();
          load.maxRate(webhooks.make("cw" + round + "-", settings.maxRequests() / 2), settings.warmup());
          double share = before < 0 ? -1 : (bare.jitSeconds() - before) / ((System.nanoTime() - start) / 1e9);
          jit.add(Math.round(share * 1000) / 1000.0);
          if (share >= 0 && share < JIT_SETTLED) {
            break;
          }
        }
        List<Webhooks.Webhook> requests = settled(webhooks.make("c-", settings.maxRequests()));
        String average = Machine.loadAverage();
        CpuUsage cpu = new CpuUsage(bare.pid());
        LoadGenerator.Result max = load.maxRate(requests, settings.phase());
        JsonObject cores = cpu.since();
        // Every acknowledged webhook of the phase must be a row: the ceiling really stored them.
        Pool pool = Database.pool(vertx, url, 1);
        long stored;
        try {
          stored = pool.query("SELECT count(*) FROM inbox").execute()
              .await(60, TimeUnit.SECONDS).iterator().next().getLong(0);
        } finally {
          pool.close().await(10, TimeUnit.SECONDS);
        }
        return max.toJson().put("loadAverage", average).put("cpu", cores).put("jitCoresPerWarmUpBurst", jit)
            .put("batchMax", hubBatchMax()).put("insertsInFlightPerLoop", hubInboxInFlight()).put("rowsStored", stored);
      }
    } finally {
      databases.drop(url);
    }
  }

  /** The bare server of limit (a), or with a database URL that of limit (c). */
  private ChildJvm bareServer(int port, String dbUrlOrNull, String logName) throws Exception {
    StringBuilder tenantList = new StringBuilder();
    for (Webhooks.Tenant t : tenants) {
      tenantList.append(tenantList.length() == 0 ? "" : ",").append(t.id()).append(':').append(t.secret());
    }
    List<String> args = new ArrayList<>(List.of(Integer.toString(port), Integer.toString(loops)));
    if (dbUrlOrNull != null) {
      args.add(dbUrlOrNull);
    }
    Map<String, String> env = new HashMap<>(Map.of(BareAuthServer.TENANTS_ENV, tenantList.toString(),
        BareAuthServer.BATCH_MAX_ENV, Integer.toString(hubBatchMax()),
        BareAuthServer.IN_FLIGHT_ENV, Integer.toString(hubInboxInFlight())));
    ChildJvm bare = ChildJvm.start(ChildJvm.Launch.main(settings.benchClasspath(), BareAuthServer.class),
        List.of("-Xmx" + settings.hubHeap()), args, env, settings.workDir().resolve(logName));
    try {
      bare.awaitHttp("http://127.0.0.1:" + port + "/health/live", Duration.ofSeconds(60));
      return bare;
    } catch (Exception e) {
      bare.close();
      throw e;
    }
  }

  // --- the hub -------------------------------------------------------------------------------

  private JsonObject hub() throws Exception {
    String url = databases.create("hub");
    int publicPort = freePort();
    int adminPort = freePort();
    String jwtSecret = HubAdmin.randomHex(32);
    say("hub: starting " + settings.hub().describe());
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + settings.hubHeap()));
    jvm.addAll(settings.hubJvmOptions());
    Pool pool = Database.pool(vertx, url, 2);
    try (ChildJvm hub = ChildJvm.start(settings.hub(), jvm, List.of(),
            hubEnvironment(url, publicPort, adminPort, jwtSecret), settings.workDir().resolve("hub.log"))) {
      hub.awaitHttp("http://127.0.0.1:" + publicPort + "/health/ready", Duration.ofSeconds(120));
      HubAdmin admin = new HubAdmin(adminPort, AdminTokens.hs256(vertx, jwtSecret, "kyc-bench", Duration.ofDays(1)));
      List<Webhooks.Tenant> withKeys = new ArrayList<>();
      for (Webhooks.Tenant t : tenants) {
        withKeys.add(admin.tenant(t.id(), t.secret()));
      }
      tenants.clear();
      tenants.addAll(withKeys);
      HubPhases phases = new HubPhases(hub, publicPort, pool);
      JsonObject postgres = postgresSettings(pool);
      PgConnectOptions db = Database.connectOptions(url);
      postgres.put("connection", Database.isUnixSocket(db) ? "unix socket " + db.getHost() : "tcp " + db.getHost() + ":" + db.getPort());
      return phases.run().put("postgres", postgres);
    } finally {
      pool.close().await(10, TimeUnit.SECONDS);
      databases.drop(url);
    }
  }

  private Map<String, String> hubEnvironment(String dbUrl, int publicPort, int adminPort, String jwtSecret) {
    Map<String, String> env = new HashMap<>();
    // Nothing from the caller's environment may reconfigure the hub (a cluster member list, say).
    System.getenv().keySet().stream().filter(k -> k.startsWith("KYC_")).forEach(k -> env.put(k, null));
    env.put("KYC_CONFIG_FILE", settings.workDir().resolve("no-config-file.json").toString());
    env.put("KYC_DB_URL", dbUrl);
    env.put("KYC_HTTP_HOST", "127.0.0.1");
    env.put("KYC_HTTP_PORT", Integer.toString(publicPort));
    env.put("KYC_ADMIN_HOST", "127.0.0.1");
    env.put("KYC_ADMIN_PORT", Integer.toString(adminPort));
    env.put("KYC_JWT_HS256_SECRET", jwtSecret);
    env.put("KYC_MASTER_KEY", randomKey());
    env.put("KYC_FINGERPRINT_KEY", randomKey());
    // The benchmark measures ingest and fan-out, not the limits on one tenant, key and node: set them
    // out of the way (its SSE clients share one API key, and all are one tenant's).
    env.put("KYC_TENANT_RATE_LIMIT", "1000000");
    env.put("KYC_SSE_MAX_PER_API_KEY", "1000000");
    env.put("KYC_SSE_MAX_PER_TENANT", "1000000");
    env.put("KYC_HTTP_MAX_CONNECTIONS", "1000000");
    env.putAll(settings.hubEnv());
    return env;
  }

  /** The server settings that decide what a commit and a plan cost. */
  private static JsonObject postgresSettings(Pool pool) throws Exception {
    JsonObject settings = new JsonObject();
    pool.query("SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', "
            + "'wal_sync_method', 'shared_buffers', 'max_connections', 'autovacuum', 'commit_delay', 'max_wal_size', "
            + "'checkpoint_timeout', 'wal_compression')")
        .execute().await(30, TimeUnit.SECONDS)
        .forEach(row -> settings.put(row.getString(0), row.getString(1)));
    return settings;
  }

  /**
   * Collects the benchmark's own garbage right before a measured phase, with the phase's requests
   * already made: they move to the old generation now, instead of being copied by the young
   * collections during the phase, whose pauses (up to 20 ms measured with -Xlog:gc) would count as
   * the hub's latency.
   */
  private static <T> T settled(T prepared) {
    System.gc();
    return prepared;
  }

  /** The JIT counts as settled below this share of a core. */
  private static final double JIT_SETTLED = 0.05;
  private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(150);

  /** The phases against a running hub. */
  private final class HubPhases {
    private final ChildJvm hub;
    private final int port;
    private final Pool pool;
    private final InboxStore inbox;
    private final Webhooks webhooks = new Webhooks(tenants);

    HubPhases(ChildJvm hub, int port, Pool pool) {
      this.hub = hub;
      this.port = port;
      this.pool = pool;
      this.inbox = new InboxStore(pool, 1, 1);
    }

    JsonObject run() throws Exception {
      JsonObject out = new JsonObject();
      try (LoadGenerator load = generator(port)) {
        out.put("warmUp", warmUp(load));
        if (settings.analyzeAfterWarmup()) {
          // What autovacuum's auto-analyze does within a minute in production: without statistics
          // the planner may pick a scan of a tenant's rows for a primary-key lookup.
          pool.query("ANALYZE").execute().await(120, TimeUnit.SECONDS);
        }

        if (settings.runs("ingest")) {
          ingest(load, out);
        }
        if (settings.runs("e2e")) {
          out.put("endToEnd", endToEnd(load, settings.e2eRate(), "e-"));
          drain("end to end");
          if (out.containsKey("ingestMaxRate")) {
            JsonObject drained = out.getJsonObject("ingestMaxRate").getJsonObject("drain");
            // The rate at which the hub acknowledged and applied the burst together; end to end it
            // also delivers every event over SSE, so "near saturation" is well below it (at 80 %
            // of a backlog's drain rate, the hub could not keep up: latencies of seconds).
            // When the backlog did not drain within the limit there is no such rate: the average
            // rate of the drain that was measured stands in.
            Long withBurst = drained.getLong("appliedPerSecondWithBurst");
            Long average = drained.getLong("appliedPerSecond");
            long applyRate = withBurst != null ? withBurst : average != null ? average : 0;
            int nearSaturation = (int) Math.max(1, applyRate * 6 / 10);
            out.put("endToEndNearSaturation", endToEnd(load, nearSaturation, "es-")
                .put("basis", withBurst != null ? "60% of the apply rate over the maximum-rate burst and its drain"
                    : "60% of the average apply rate while the maximum-rate backlog drained (it did not drain fully)"));
          }
        }
        if (settings.runs("fanout")) {
          // Events of earlier phases still being applied would reach every SSE client too.
          drain("the phases before the fan-out");
          out.put("fanout", fanout(load));
        }
      }
      out.put("hubOutOfMemory", Files.readString(settings.workDir().resolve("hub.log")).contains("OutOfMemoryError"));
      return out;
    }

    /**
     * Rounds of load at the end-to-end rate and at maximum rate, each followed by a drain, until
     * the hub's JIT compilers use less than {@link #JIT_SETTLED} of a core over a round (at most
     * {@link #WARM_UP_LIMIT}; one round in smoke mode). On two cores a hub in its first minute
     * spends up to half its CPU compiling, which would otherwise be measured as the hub's speed.
     */
    private JsonObject warmUp(LoadGenerator load) throws Exception {
      long start = System.nanoTime();
      double jit = hub.jitSeconds();
      double ownJit = ownJitSeconds();
      JsonArray rounds = new JsonArray();
      JsonArray ownRounds = new JsonArray();
      for (int round = 1; ; round++) {
        long roundStart = System.nanoTime();
        say("hub: warm-up round " + round + " at " + settings.e2eRate() + "/s and at maximum rate");
        // SSE clients are connected in every later phase, and in production, and they come and
        // go: each round opens its own and closes them, so the paths of both are compiled (a hub
        // that never saw a connection close deoptimises its hot paths at the first one, and its
        // JIT starts over in the measured phase). The same bookkeeping as the end-to-end phase,
        // so the benchmark's own code is compiled too.
        Map<String, Long> due = new ConcurrentHashMap<>();
        Latency scratch = new Latency();
        try (SseClients sse = new SseClients(vertx, port, tenants.size(), loops)) {
          for (Webhooks.Tenant t : tenants) {
            sse.open(t.id(), t.apiKey(), "w", 1, (customer, at) -> {
              Long sentAt = due.remove(customer);
              if (sentAt != null) {
                scratch.record(at - sentAt);
              }
            }, Duration.ofSeconds(30));
          }
          load.fixedRate(webhooks.make("w" + round + "-", rateCount(settings.e2eRate(), settings.warmup())), settings.e2eRate(),
              settings.warmup(), (w, t) -> due.put(w.customerId(), t));
          load.maxRate(webhooks.make("wm" + round + "-", settings.maxRequests() / 5), settings.warmup());
          drain("warm-up");
          // Back to the moderate rate before the round ends: code the JIT compiled under the
          // burst's profile (full pools, paused consumers) is thrown away at the first seconds of
          // moderate load after it, and recompiled. Ending on the burst left that to the first
          // measured phase (a burst of deoptimisations at its start, p99 at 2,000/s 48-85 ms
          // instead of 15-24 ms; docs/performance.md, "Warm-up").
          Duration settle = settings.warmup().dividedBy(2);
          load.fixedRate(webhooks.make("ws" + round + "-", rateCount(settings.e2eRate(), settle)), settings.e2eRate(),
              settle, (w, t) -> due.put(w.customerId(), t));
          drain("warm-up");
        }
        double seconds = (System.nanoTime() - roundStart) / 1e9;
        double now = hub.jitSeconds();
        double ownNow = ownJitSeconds();
        double share = jit < 0 || now < 0 ? -1 : (now - jit) / seconds;
        double ownShare = ownJit < 0 || ownNow < 0 ? 0 : (ownNow - ownJit) / seconds;
        jit = now;
        ownJit = ownNow;
        rounds.add(Math.round(share * 1000) / 1000.0);
        ownRounds.add(Math.round(ownShare * 1000) / 1000.0);
        say(String.format(Locale.ROOT, "hub: JIT compilers used %.2f cores in round %d (the benchmark's own: %.2f)",
            share, round, ownShare));
        boolean settled = share >= 0 && share < JIT_SETTLED && ownShare < JIT_SETTLED;
        if (settings.smoke() || settled || System.nanoTime() - start > WARM_UP_LIMIT.toNanos()) {
          return new JsonObject().put("seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0)
              .put("jitCoresPerRound", rounds).put("benchJitCoresPerRound", ownRounds).put("jitSettled", settled);
        }
      }
    }

    /** CPU seconds this process's JIT compilers have spent so far, or -1 when the JVM cannot tell. */
    private static double ownJitSeconds() {
      CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
      return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() / 1000.0 : -1;
    }

    private void ingest(LoadGenerator load, JsonObject out) throws Exception {
      say("hub: ingest at " + settings.ingestRate() + "/s");
      List<Webhooks.Webhook> requests = settled(webhooks.make("if-", rateCount(settings.ingestRate(), settings.phase())));
      String average = Machine.loadAverage();
      CpuUsage cpu = new CpuUsage(hub.pid());
      LoadGenerator.Result fixed = load.fixedRate(requests, settings.ingestRate(), settings.phase(), (w, t) -> { });
      out.put("ingestFixedRate", fixed.toJson().put("rate", settings.ingestRate()).put("loadAverage", average)
          .put("cpu", cpu.since()).put("drain", drain("ingest at a fixed rate")));

      say("hub: ingest at maximum rate, " + settings.inFlight() + " in flight");
      requests = settled(webhooks.make("im-", settings.maxRequests()));
      average = Machine.loadAverage();
      cpu = new CpuUsage(hub.pid());
      long[] walBefore = wal();
      LoadGenerator.Result max = load.maxRate(requests, settings.phase());
      JsonObject maxJson = max.toJson().put("loadAverage", average).put("cpu", cpu.since());
      JsonObject drained = drain("ingest at maximum rate");
      long[] walAfter = wal();
      if (max.acknowledged() > 0) {
        // The server's WAL while the burst was stored and applied (the hub is all that writes then):
        // what each webhook costs in log volume, fsync and checkpoint writes, and how many of its
        // records were full-page images (the first change of a page after a checkpoint).
        maxJson.put("wal", new JsonObject()
            .put("bytesPerWebhook", Math.round((double) (walAfter[0] - walBefore[0]) / max.acknowledged()))
            .put("fullPageImagesPerWebhook", Math.round(100.0 * (walAfter[1] - walBefore[1]) / max.acknowledged()) / 100.0));
      }
      // When the reconciler keeps up with the burst, the backlog left is tiny and its drain rate
      // says nothing; everything acknowledged was applied within the burst plus its drain.
      double burstAndDrain = max.seconds() + drained.getDouble("seconds");
      if (drained.getLong("unapplied") == 0 && burstAndDrain > 0) {
        drained.put("appliedPerSecondWithBurst", Math.round(max.acknowledged() / burstAndDrain));
      }
      out.put("ingestMaxRate", maxJson.put("drain", drained));
    }

    /** Webhooks at {@code rate}/s, each timed from when it was due until its event reached the tenant's SSE stream. */
    private JsonObject endToEnd(LoadGenerator load, int rate, String prefix) throws Exception {
      say("hub: end to end at " + rate + "/s");
      Map<String, Long> due = new ConcurrentHashMap<>();
      Latency latency = new Latency();
      try (SseClients sse = new SseClients(vertx, port, tenants.size(), loops);
          PhaseTimeline timeline = new PhaseTimeline(pool, settings.phase().plusSeconds(10).toMillis(), settings.workDir())) {
        for (Webhooks.Tenant t : tenants) {
          sse.open(t.id(), t.apiKey(), prefix, 1, (customer, at) -> {
            Long sentAt = due.remove(customer);
            if (sentAt != null) {
              latency.record(at - sentAt);
              timeline.record(sentAt, at - sentAt);
            }
          }, Duration.ofSeconds(30));
        }
        List<Webhooks.Webhook> requests = settled(webhooks.make(prefix, rateCount(rate, settings.phase())));
        String average = Machine.loadAverage();
        CpuUsage cpu = new CpuUsage(hub.pid());
        LoadGenerator.Result result = load.fixedRate(requests, rate, settings.phase(), (w, t) -> due.put(w.customerId(), t));
        JsonObject cores = cpu.since();
        long waitUntil = System.nanoTime() + settings.drainLimit().toNanos();
        while (latency.count() < result.acknowledged() && System.nanoTime() < waitUntil) {
          Thread.sleep(50);
        }
        return new JsonObject().put("rate", rate).put("loadAverage", average).put("cpu", cores).put("ingest", result.toJson())
            .put("eventsReceived", latency.count()).put("eventsMissing", result.acknowledged() - latency.count())
            .put("webhookToSse", latency.toJson()).put("timeline", timeline.toJson(result.acknowledged()));
      }
    }

    /** Many SSE clients connected while events flow: delivery, latency and the hub's memory. */
    private JsonObject fanout(LoadGenerator load) throws Exception {
      say("hub: fan-out to " + settings.sseClients() + " SSE clients");
      JsonObject memoryBefore = memory(true);
      Map<String, Long> due = new ConcurrentHashMap<>();
      Map<String, Long> firstReceipt = new ConcurrentHashMap<>();
      Latency endToEnd = new Latency();
      Latency spread = new Latency();
      SseClients.EventSink sink = (customer, at) -> {
        Long sentAt = due.get(customer);
        if (sentAt != null) {
          endToEnd.record(at - sentAt);
          spread.record(at - firstReceipt.computeIfAbsent(customer, c -> at));
        }
      };
      try (SseClients sse = new SseClients(vertx, port, settings.sseClients(), loops)) {
        List<SseClients.Stream> streams = new ArrayList<>();
        long openStart = System.nanoTime();
        for (int i = 0; i < tenants.size(); i++) {
          int share = settings.sseClients() / tenants.size() + (i < settings.sseClients() % tenants.size() ? 1 : 0);
          Webhooks.Tenant t = tenants.get(i);
          streams.addAll(sse.open(t.id(), t.apiKey(), "f-", share, sink, Duration.ofSeconds(60 + settings.sseClients() / 50)));
        }
        double openSeconds = (System.nanoTime() - openStart) / 1e9;
        long hubConnections = (long) hubMetric("kyc_sse_connections", "");

        AtomicLong peakRss = new AtomicLong(hub.rssBytes());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peakRss.accumulateAndGet(hub.rssBytes(), Math::max), 0, 200, TimeUnit.MILLISECONDS);
        Map<String, Long> expected = new ConcurrentHashMap<>();
        List<Webhooks.Webhook> requests = settled(webhooks.make("f-", settings.fanoutEvents()));
        String average = Machine.loadAverage();
        CpuUsage cpu = new CpuUsage(hub.pid());
        LoadGenerator.Result sent;
        try {
          Duration sendTime = Duration.ofMillis(1000L * settings.fanoutEvents() / settings.fanoutRate()).plusSeconds(5);
          sent = load.fixedRate(requests, settings.fanoutRate(), sendTime,
              (w, t) -> {
                due.put(w.customerId(), t);
                expected.merge(w.path().split("/")[2], 1L, Long::sum);
              });
          long waitUntil = System.nanoTime() + settings.drainLimit().toNanos();
          while (delivered(streams, expected) < wanted(streams, expected) && System.nanoTime() < waitUntil) {
            Thread.sleep(100);
          }
        } finally {
          sampler.shutdownNow();
        }
        JsonObject cores = cpu.since();
        JsonObject memoryLoaded = memory(false).put("peakRssBytes", peakRss.get());
        JsonObject memoryAfterGc = memory(true);
        long wanted = wanted(streams, expected);
        long delivered = delivered(streams, expected);
        return new JsonObject()
            .put("clients", streams.size())
            .put("hubConnections", hubConnections)
            .put("connectSeconds", Math.round(openSeconds * 100) / 100.0)
            .put("loadAverage", average)
            .put("cpu", cores)
            .put("ingest", sent.toJson())
            .put("deliveriesExpected", wanted)
            .put("deliveriesReceived", delivered)
            .put("deliveriesMissing", wanted - delivered)
            .put("outOfSequence", streams.stream().mapToLong(s -> s.outOfSequence).sum())
            .put("streamsEnded", streams.stream().filter(s -> s.ended).count())
            .put("webhookToSse", endToEnd.toJson())
            .put("firstToLastClient", spread.toJson())
            .put("memoryBefore", memoryBefore)
            .put("memoryConnected", memoryLoaded)
            .put("memoryConnectedAfterGc", memoryAfterGc)
            .put("heapPerConnectionBytes", (memoryAfterGc.getLong("heapUsedBytes") - memoryBefore.getLong("heapUsedBytes"))
                / Math.max(1, streams.size()));
      }
    }

    private long wanted(List<SseClients.Stream> streams, Map<String, Long> expected) {
      return streams.stream().mapToLong(s -> expected.getOrDefault(s.tenantId, 0L)).sum();
    }

    private long delivered(List<SseClients.Stream> streams, Map<String, Long> expected) {
      return streams.stream().mapToLong(s -> Math.min(s.received, expected.getOrDefault(s.tenantId, 0L))).sum();
    }

    /** The hub's heap in use (from its /metrics) and resident memory, optionally after a full GC. */
    private JsonObject memory(boolean afterGc) throws Exception {
      if (afterGc) {
        hub.jcmd("GC.run");
      }
      return new JsonObject()
          .put("heapUsedBytes", (long) hubMetric("jvm_memory_used_bytes", "area=\"heap\""))
          .put("heapMaxBytes", (long) hubMetric("jvm_memory_max_bytes", "area=\"heap\""))
          .put("rssBytes", hub.rssBytes());
    }

    /** The server's WAL position in bytes and its count of full-page images so far (pg_stat_wal). */
    private long[] wal() throws Exception {
      Row row = pool.query("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn, wal_fpi FROM pg_stat_wal").execute()
          .await(30, TimeUnit.SECONDS).iterator().next();
      return new long[] {row.getNumeric(0).longValue(), row.getLong(1)};
    }

    /**
     * Waits until every stored delivery is applied; the rates it measures are the reconciler's:
     * on average, and the best over {@value #RATE_WINDOW_SECONDS} s (a backlog larger than the
     * listeners' dispatch queues ends in a slow tail that only the inbox sweep applies).
     */
    private JsonObject drain(String after) throws Exception {
      long start = System.nanoTime();
      CpuUsage cpu = new CpuUsage(hub.pid());
      List<Long> unapplied = new ArrayList<>();
      unapplied.add(inbox.unappliedCount().await(30, TimeUnit.SECONDS));
      long deadline = start + settings.drainLimit().toNanos();
      while (unapplied.get(unapplied.size() - 1) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(1000);
        unapplied.add(inbox.unappliedCount().await(30, TimeUnit.SECONDS));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long first = unapplied.get(0);
      long left = unapplied.get(unapplied.size() - 1);
      if (left > 0) {
        say("hub: " + left + " deliveries still unapplied " + settings.drainLimit().toSeconds() + " s after " + after);
      }
      long best = 0;
      for (int i = RATE_WINDOW_SECONDS; i < unapplied.size(); i++) {
        best = Math.max(best, (unapplied.get(i - RATE_WINDOW_SECONDS) - unapplied.get(i)) / RATE_WINDOW_SECONDS);
      }
      return new JsonObject().put("backlog", first).put("seconds", Math.round(seconds * 100) / 100.0)
          .put("unapplied", left).put("appliedPerSecond", seconds > 0.2 ? Math.round((first - left) / seconds) : null)
          .put("bestAppliedPerSecond", unapplied.size() > RATE_WINDOW_SECONDS ? best : null)
          .put("cpu", cpu.since());
    }

    private double hubMetric(String name, String label) throws Exception {
      double sum = 0;
      for (String line : ChildJvm.get("http://127.0.0.1:" + port + "/metrics").body().split("\n")) {
        if (line.startsWith(name) && (line.length() == name.length() || " {".indexOf(line.charAt(name.length())) >= 0)
            && line.contains(label)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    }
  }

  // --- summary -------------------------------------------------------------------------------

  /** The ratios and the targets, for whatever phases ran. */
  private JsonObject summary(JsonObject result) {
    JsonObject limits = result.getJsonObject("limits");
    JsonObject hub = result.getJsonObject("hub");
    JsonArray targets = new JsonArray();
    JsonObject out = new JsonObject().put("targets", targets);
    if (hub.containsKey("ingestMaxRate")) {
      double ingest = hub.getJsonObject("ingestMaxRate").getLong("ackPerSecond");
      targets.add(target("durable acknowledged ingest >= 10,000/s", Math.round(ingest) + "/s", ingest >= 10_000));
      if (limits.containsKey("bareHttp")) {
        double naive = limits.getJsonObject("naiveDurable").getLong("commitsPerSecond");
        double bare = limits.getJsonObject("bareHttp").getLong("ackPerSecond");
        out.put("ingestToBareHttp", ratio(ingest, bare)).put("ingestToNaiveDurable", ratio(ingest, naive));
        targets.add(target("ingest >= 3x naive durable ceiling", ratio(ingest, naive) + "x", ingest >= 3 * naive));
        targets.add(target("ingest >= 25% of bare HTTP ceiling", Math.round(100 * ingest / bare) + "%", ingest >= 0.25 * bare));
        if (limits.containsKey("durableBare")) {
          // Not a target: how far the hub is from the most that storing each webhook allows here.
          out.put("ingestToDurableBare", ratio(ingest, limits.getJsonObject("durableBare").getLong("ackPerSecond")));
        }
      }
    }
    if (hub.containsKey("endToEnd")) {
      JsonObject e2e = hub.getJsonObject("endToEnd");
      Double p99 = e2e.getJsonObject("webhookToSse").getDouble("p99Ms");
      targets.add(target("end-to-end p99 <= 50 ms at " + e2e.getInteger("rate") + "/s", p99 + " ms",
          p99 != null && p99 <= 50 && e2e.getLong("eventsMissing") == 0));
    }
    if (hub.containsKey("fanout")) {
      JsonObject fanout = hub.getJsonObject("fanout");
      targets.add(target(fanout.getInteger("clients") + " SSE clients in " + settings.hubHeap() + " heap, every event",
          fanout.getLong("deliveriesMissing") + " missing", fanout.getLong("deliveriesMissing") == 0
              && fanout.getInteger("clients") >= settings.sseClients() && !hub.getBoolean("hubOutOfMemory")));
    }
    return out;
  }

  private static JsonObject target(String name, String measured, boolean met) {
    return new JsonObject().put("target", name).put("measured", measured).put("met", met);
  }

  private static double ratio(double a, double b) {
    return b <= 0 ? 0 : Math.round(100 * a / b) / 100.0;
  }

  // --- helpers -------------------------------------------------------------------------------

  private LoadGenerator generator(int port) throws Exception {
    return new LoadGenerator(vertx, port, settings.connections(), settings.pipelining(), loops);
  }

  private int rateCount(int rate, Duration duration) {
    return (int) Math.min(settings.maxRequests(), (long) rate * duration.toMillis() / 1000);
  }

  private void say(String line) {
    progress.printf("[%s] %s (load %s)%n", Instant.now().toString().substring(11, 19), line, Machine.loadAverage());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
