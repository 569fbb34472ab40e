package io.kychub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.app.HubMain;
import io.kychub.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the benchmark's smoke mode end to end (limits, hub child process, every phase) so the
 * benchmark cannot rot. It checks that a complete result came out, never how fast anything was.
 */
class BenchSmokeTest {

  @Test
  void smokeRunProducesEveryFigureAndTheTable(@TempDir Path work) throws Exception {
    String classpath = System.getProperty("java.class.path");
    BenchSettings settings = BenchSettings.smoke(work, ChildJvm.Launch.main(classpath, HubMain.class), classpath);
    Benchmark.Databases databases = new Benchmark.Databases() {
      @Override
      public String create(String label) {
        return TestDatabase.freshDatabaseUrl(BenchSmokeTest.class);
      }

      @Override
      public void drop(String url) {
        // TestDatabase drops its databases when the JVM exits
      }
    };
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    JsonObject result = new Benchmark(settings, databases, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

    assertThat(result.getJsonObject("machine").getInteger("cores")).isPositive();
    JsonObject limits = result.getJsonObject("limits");
    assertThat(limits.getJsonObject("naiveDurable").getLong("commitsPerSecond")).isPositive();
    assertThat(limits.getJsonObject("bareHttp").getLong("acknowledged")).isPositive();
    JsonObject durable = limits.getJsonObject("durableBare");
    assertThat(durable.getLong("acknowledged")).isPositive();
    // Warm-up bursts are stored too, so there are more rows than the measured burst acknowledged.
    assertThat(durable.getLong("rowsStored")).isGreaterThan(durable.getLong("acknowledged"));
    JsonObject hub = result.getJsonObject("hub");
    assertThat(hub.getJsonObject("ingestFixedRate").getLong("acknowledged")).isPositive();
    assertThat(hub.getJsonObject("ingestMaxRate").getLong("acknowledged")).isPositive();
    assertThat(hub.getJsonObject("ingestMaxRate").getJsonObject("drain").getLong("backlog")).isNotNull();
    assertThat(hub.getJsonObject("ingestMaxRate").getJsonObject("wal").getLong("bytesPerWebhook")).isPositive();
    assertThat(hub.getJsonObject("endToEnd").getJsonObject("webhookToSse").getLong("count")).isPositive();
    assertThat(hub.getJsonObject("endToEndNearSaturation").getJsonObject("webhookToSse").getLong("count")).isPositive();
    JsonObject fanout = hub.getJsonObject("fanout");
    assertThat(fanout.getInteger("clients")).isEqualTo(settings.sseClients());
    assertThat(fanout.getLong("deliveriesReceived")).isPositive();
    assertThat(fanout.getJsonObject("memoryConnected").getLong("rssBytes")).isPositive();
    assertThat(result.getJsonObject("summary").getJsonArray("targets")).hasSize(5);
    assertThat(ResultTable.render(result)).contains("(a) bare HTTP", "(b) naive durable", "(c) durable bare", "hub ingest", "end to end", "fan-out");
  }
}
