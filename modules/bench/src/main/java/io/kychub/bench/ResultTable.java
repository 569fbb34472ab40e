package io.kychub.bench;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a result as one Markdown table (ready to paste into the README) plus the targets. */
final class ResultTable {

  private static final String[] HEADER = {"figure", "rate", "p50", "p99", "p99.9", "vs (a) bare HTTP", "vs (b) naive PG", "load avg"};

  private ResultTable() {}

  static String render(JsonObject r) {
    JsonObject machine = r.getJsonObject("machine");
    JsonObject settings = r.getJsonObject("settings");
    JsonObject limits = r.getJsonObject("limits");
    JsonObject hub = r.getJsonObject("hub");
    double bare = limits.containsKey("bareHttp") ? limits.getJsonObject("bareHttp").getLong("ackPerSecond") : 0;
    double naive = limits.containsKey("naiveDurable") ? limits.getJsonObject("naiveDurable").getLong("commitsPerSecond") : 0;
    List<String[]> rows = new ArrayList<>();

    if (limits.containsKey("bareHttp")) {
      JsonObject a = limits.getJsonObject("bareHttp");
      rows.add(latencyRow("(a) bare HTTP server, authenticate + 200, " + settings.getInteger("inFlight") + " in flight",
          a.getLong("ackPerSecond"), a.getJsonObject("ackLatency"), "", "", a.getString("loadAverage")));
      for (Object o : limits.getJsonObject("naiveDurable").getJsonArray("runs")) {
        JsonObject run = (JsonObject) o;
        rows.add(new String[] {"(b) naive durable, 1 row per commit: " + run.getString("client") + ", "
            + run.getInteger("connections") + " conns", perSecond(run.getLong("commitsPerSecond")), "", "", "", "", "",
            run.getString("loadAverage")});
      }
      JsonObject group = limits.getJsonObject("naiveDurable").getJsonObject("groupCommit");
      rows.add(new String[] {"PostgreSQL side of hub ingest alone: " + group.getString("client") + ", "
          + group.getInteger("inFlight") + " waiting", perSecond(group.getLong("commitsPerSecond")), "", "", "", "", "",
          group.getString("loadAverage")});
    }
    if (limits.containsKey("durableBare")) {
      // The ratios of (c) itself: what even a hub that only stored webhooks would reach against the targets.
      JsonObject c = limits.getJsonObject("durableBare");
      rows.add(latencyRow("(c) durable bare: (a) + parse + group-committed inbox insert, nothing applied, "
              + settings.getInteger("inFlight") + " in flight", c.getLong("ackPerSecond"), c.getJsonObject("ackLatency"),
          ratio(c.getLong("ackPerSecond"), bare), ratio(c.getLong("ackPerSecond"), naive), c.getString("loadAverage")));
    }
    if (hub.containsKey("ingestMaxRate")) {
      JsonObject fixed = hub.getJsonObject("ingestFixedRate");
      rows.add(latencyRow("hub ingest, fixed " + fixed.getInteger("rate") + "/s (acknowledged)", fixed.getLong("ackPerSecond"),
          fixed.getJsonObject("ackLatency"), "", "", fixed.getString("loadAverage")));
      JsonObject max = hub.getJsonObject("ingestMaxRate");
      rows.add(latencyRow("hub ingest, maximum rate, " + settings.getInteger("inFlight") + " in flight (acknowledged)",
          max.getLong("ackPerSecond"), max.getJsonObject("ackLatency"), ratio(max.getLong("ackPerSecond"), bare),
          ratio(max.getLong("ackPerSecond"), naive), max.getString("loadAverage")));
      JsonObject drain = max.getJsonObject("drain");
      rows.add(new String[] {"hub apply rate, draining a backlog of " + drain.getLong("backlog") + ": average / best 5 s",
          perSecond(drain.getLong("appliedPerSecond")) + " / " + perSecond(drain.getLong("bestAppliedPerSecond")),
          "", "", "", "", "", ""});
      if (drain.containsKey("appliedPerSecondWithBurst")) {
        rows.add(new String[] {"hub apply rate over the maximum-rate burst and its drain (all applied)",
            perSecond(drain.getLong("appliedPerSecondWithBurst")), "", "", "", "", "", ""});
      }
      JsonObject wal = max.getJsonObject("wal");
      if (wal != null) {
        rows.add(new String[] {"PostgreSQL WAL per webhook over the burst and its drain (bytes, full-page images)",
            String.format(Locale.ROOT, "%,d B, %.2f FPI", wal.getLong("bytesPerWebhook"),
                wal.getDouble("fullPageImagesPerWebhook")), "", "", "", "", "", ""});
      }
    }
    for (String phase : List.of("endToEnd", "endToEndNearSaturation")) {
      if (hub.containsKey(phase)) {
        JsonObject e2e = hub.getJsonObject(phase);
        rows.add(latencyRow("end to end, webhook -> SSE event, at " + e2e.getInteger("rate") + "/s ("
                + e2e.getLong("eventsMissing") + " missing)", e2e.getJsonObject("ingest").getLong("ackPerSecond"),
            e2e.getJsonObject("webhookToSse"), "", "", e2e.getString("loadAverage")));
        JsonObject t = e2e.getJsonObject("timeline");
        if (t != null) {
          rows.add(new String[] {"  its " + t.getInteger("slotMillis") + " ms slots with a webhook over "
              + t.getLong("slowOverMillis") + " ms: all / in a checkpoint (slots in one) / at a probe flush over "
              + t.getLong("slowFlushOverMillis") + " ms (slots with one)",
              t.getInteger("slowSlots") + " of " + t.getInteger("slots") + " / " + t.getInteger("slowSlotsInCheckpoint")
                  + " (" + t.getInteger("slotsInCheckpoint") + ") / " + t.getInteger("slowSlotsWithSlowFlush")
                  + " (" + t.getInteger("slotsWithSlowFlush") + ")", "", "", "", "", "", ""});
          rows.add(latencyRow("  probe flush (8 KiB write + fdatasync every " + PhaseTimeline.PROBE_MILLIS + " ms, timed by a benchmark thread); "
                  + "PostgreSQL's commits / WAL flushes per webhook: " + t.getDouble("commitsPerWebhook") + " / "
                  + t.getDouble("walFlushesPerWebhook"), null, t.getJsonObject("diskFlush"), "", "", ""));
        }
      }
    }
    if (hub.containsKey("fanout")) {
      JsonObject fanout = hub.getJsonObject("fanout");
      rows.add(latencyRow("fan-out: " + fanout.getInteger("clients") + " SSE clients, " + fanout.getLong("deliveriesReceived")
              + "/" + fanout.getLong("deliveriesExpected") + " deliveries, webhook -> SSE",
          fanout.getJsonObject("ingest").getLong("ackPerSecond"), fanout.getJsonObject("webhookToSse"), "", "",
          fanout.getString("loadAverage")));
      rows.add(latencyRow("fan-out: first -> last client of an event", null, fanout.getJsonObject("firstToLastClient"),
          "", "", ""));
      JsonObject loaded = fanout.getJsonObject("memoryConnected");
      JsonObject afterGc = fanout.getJsonObject("memoryConnectedAfterGc");
      rows.add(new String[] {"hub memory with " + fanout.getInteger("clients") + " SSE clients: heap used / after GC / RSS peak",
          mib(loaded.getLong("heapUsedBytes")) + " / " + mib(afterGc.getLong("heapUsedBytes")) + " / "
              + mib(loaded.getLong("peakRssBytes")), "max heap " + mib(afterGc.getLong("heapMaxBytes")), "", "", "", "", ""});
    }

    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "KYC Hub benchmark (%s), %s%n", settings.getString("mode"), r.getString("date")));
    out.append(String.format(Locale.ROOT, "machine: %s, %d cores, %s memory, %s; load average %s at start, %s at end%n",
        machine.getString("cpuModel"), machine.getInteger("cores"), mib(machine.getLong("memoryBytes")), machine.getString("jdk"),
        r.getString("loadAverageAtStart"), r.getString("loadAverageAtEnd")));
    out.append(String.format(Locale.ROOT, "hub: %s -Xmx%s; %s, %d tenants x %d providers%n", settings.getString("hub"),
        settings.getString("hubHeap"), r.getString("note"), settings.getInteger("tenants"), settings.getInteger("providers")));
    JsonObject warmUp = hub.getJsonObject("warmUp", new JsonObject());
    out.append(String.format(Locale.ROOT, "postgres: %s; ANALYZE after warm-up: %s%n",
        hub.getJsonObject("postgres", new JsonObject()).encode(), settings.getBoolean("analyzeAfterWarmup")));
    out.append(String.format(Locale.ROOT, "hub warm-up: %s s, JIT cores per round %s, the benchmark's own %s (settled: %s)%n%n",
        warmUp.getValue("seconds"), warmUp.getValue("jitCoresPerRound"), warmUp.getValue("benchJitCoresPerRound"),
        warmUp.getValue("jitSettled")));
    out.append(markdown(rows)).append('\n');
    for (Object o : r.getJsonObject("summary").getJsonArray("targets")) {
      JsonObject t = (JsonObject) o;
      out.append(String.format(Locale.ROOT, "%s %s: %s%n", t.getBoolean("met") ? "[met]    " : "[NOT met]", t.getString("target"),
          t.getString("measured")));
    }
    return out.toString();
  }

  private static String[] latencyRow(String name, Long rate, JsonObject latency, String vsBare, String vsNaive, String load) {
    return new String[] {name, rate == null ? "" : perSecond(rate), ms(latency.getDouble("p50Ms")),
        ms(latency.getDouble("p99Ms")), ms(latency.getDouble("p999Ms")), vsBare, vsNaive, load};
  }

  private static String markdown(List<String[]> rows) {
    int[] widths = new int[HEADER.length];
    List<String[]> all = new ArrayList<>();
    all.add(HEADER);
    all.addAll(rows);
    for (String[] row : all) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i] == null ? 0 : row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < all.size(); r++) {
      out.append(line(all.get(r), widths));
      if (r == 0) {
        String[] rule = new String[widths.length];
        for (int i = 0; i < widths.length; i++) {
          rule[i] = "-".repeat(Math.max(3, widths[i]));
        }
        out.append(line(rule, widths));
      }
    }
    return out.toString();
  }

  private static String line(String[] cells, int[] widths) {
    StringBuilder out = new StringBuilder("|");
    for (int i = 0; i < widths.length; i++) {
      String cell = cells[i] == null ? "" : cells[i];
      out.append(' ').append(cell).append(" ".repeat(widths[i] - cell.length())).append(" |");
    }
    return out.append('\n').toString();
  }

  private static String perSecond(Long value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%,d/s", value);
  }

  private static String ms(Double millis) {
    return millis == null ? "n/a" : String.format(Locale.ROOT, "%.1f ms", millis);
  }

  private static String ratio(double a, double b) {
    return b <= 0 ? "n/a" : String.format(Locale.ROOT, "%.2fx", a / b);
  }

  private static String mib(Long bytes) {
    return bytes == null || bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,d MiB", bytes / (1024 * 1024));
  }
}
