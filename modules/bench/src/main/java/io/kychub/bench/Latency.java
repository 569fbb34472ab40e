package io.kychub.bench;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** A latency distribution in nanoseconds (HdrHistogram, 3 significant digits), safe to record from any thread. */
final class Latency {

  private static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(5);

  private final Histogram histogram = new ConcurrentHistogram(MAX_NANOS, 3);

  void record(long nanos) {
    histogram.recordValue(Math.max(0, Math.min(nanos, MAX_NANOS)));
  }

  long count() {
    return histogram.getTotalCount();
  }

  double percentileMillis(double percentile) {
    return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1e6;
  }

  /** {@code {count, p50, p99, p999, max}}, in milliseconds. */
  JsonObject toJson() {
    return new JsonObject()
        .put("count", count())
        .put("p50Ms", round(percentileMillis(50)))
        .put("p99Ms", round(percentileMillis(99)))
        .put("p999Ms", round(percentileMillis(99.9)))
        .put("maxMs", round(count() == 0 ? Double.NaN : histogram.getMaxValue() / 1e6));
  }

  private static Double round(double millis) {
    return Double.isNaN(millis) ? null : Math.round(millis * 100) / 100.0;
  }
}
