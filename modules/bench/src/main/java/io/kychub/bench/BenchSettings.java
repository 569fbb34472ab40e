package io.kychub.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How big and how long every phase is. {@link #full()} is the measurement; {@link #smoke()} runs
 * every phase with tiny counts in a few seconds, so CI proves the benchmark still works.
 *
 * @param connections keep-alive connections of the load generator
 * @param pipelining requests in flight per connection at maximum rate
 * @param warmup maximum-rate load before each server is measured (JIT, pools, caches)
 * @param phase the length of each measured load phase
 * @param maxRequests the most webhooks one phase may send (bounds memory and time; a larger burst
 *     than the hub's dispatch queues hold, 100,000, ends in a tail that only the inbox sweep applies)
 * @param ingestRate webhooks/s of the fixed-rate ingest phase
 * @param e2eRate webhooks/s of the fixed-rate end-to-end phase
 * @param sseClients concurrent SSE connections of the fan-out phase
 * @param fanoutEvents webhooks (hence events) sent while they are connected, at {@code fanoutRate}/s
 * @param drainLimit how long to wait for the reconciler to apply a backlog
 * @param naiveConnections concurrency levels of the naive insert ceiling
 * @param phases which of {@link #PHASES} to run (all, normally; fewer while profiling one)
 * @param analyzeAfterWarmup run ANALYZE on the hub's database after the warm-up, as autovacuum
 *     would soon after a start (it is switched off on some development servers)
 */
record BenchSettings(
    boolean smoke,
    Path workDir,
    Path output,
    ChildJvm.Launch hub,
    String benchClasspath,
    String hubHeap,
    List<String> hubJvmOptions,
    Map<String, String> hubEnv,
    int tenants,
    int connections,
    int pipelining,
    Duration warmup,
    Duration phase,
    int maxRequests,
    int ingestRate,
    int e2eRate,
    int sseClients,
    int fanoutEvents,
    int fanoutRate,
    Duration drainLimit,
    List<Integer> naiveConnections,
    Set<String> phases,
    boolean analyzeAfterWarmup) {

  static final Set<String> PHASES = Set.of("limits", "ingest", "e2e", "fanout");

  static BenchSettings full(Path workDir, ChildJvm.Launch hub, String benchClasspath) {
    return new BenchSettings(false, workDir, workDir.resolve("result.json"), hub, benchClasspath, "1g", List.of(), Map.of(),
        4, 64, 4, Duration.ofSeconds(8), Duration.ofSeconds(10), 100_000, 5_000, 2_000,
        10_000, 200, 20, Duration.ofSeconds(180), List.of(16, 64), PHASES, true);
  }

  static BenchSettings smoke(Path workDir, ChildJvm.Launch hub, String benchClasspath) {
    return new BenchSettings(true, workDir, workDir.resolve("result.json"), hub, benchClasspath, "256m", List.of(), Map.of(),
        2, 8, 2, Duration.ofMillis(500), Duration.ofSeconds(1), 2_000, 200, 100,
        200, 10, 20, Duration.ofSeconds(30), List.of(4), PHASES, true);
  }

  boolean runs(String phase) {
    return phases.contains(phase);
  }

  /** In-flight requests of the maximum-rate phases. */
  int inFlight() {
    return connections * pipelining;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("mode", smoke ? "smoke" : "full")
        .put("phases", String.join(",", new TreeSet<>(phases)))
        .put("analyzeAfterWarmup", analyzeAfterWarmup)
        .put("hub", hub.describe())
        .put("hubHeap", hubHeap)
        .put("hubJvmOptions", String.join(" ", hubJvmOptions))
        .put("hubEnv", new JsonObject(Map.copyOf(hubEnv)))
        .put("tenants", tenants)
        .put("providers", Webhooks.PROVIDERS.size())
        .put("connections", connections)
        .put("pipelining", pipelining)
        .put("inFlight", inFlight())
        .put("warmupSeconds", warmup.toMillis() / 1000.0)
        .put("phaseSeconds", phase.toMillis() / 1000.0)
        .put("maxRequestsPerPhase", maxRequests)
        .put("ingestRate", ingestRate)
        .put("e2eRate", e2eRate)
        .put("sseClients", sseClients)
        .put("fanoutEvents", fanoutEvents)
        .put("fanoutRate", fanoutRate);
  }
}
