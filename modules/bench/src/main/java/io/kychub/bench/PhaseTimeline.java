package io.kychub.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where in a phase its slow webhooks were, next to what the disk and PostgreSQL's checkpointer
 * were doing then: the phase cut into {@value #SLOT_MILLIS} ms slots by when each webhook was due,
 * the slowest latency of each slot, whether a checkpoint was writing in it (the checkpointer's
 * wait event, sampled every slot), and how long the disk took to flush: a probe writes 8 KiB to a
 * file in the benchmark's work directory and flushes it ({@code fdatasync}) every
 * {@value #PROBE_MILLIS} ms, as PostgreSQL flushes its WAL at every commit. The probe's time is the
 * flush plus its thread's wake-up on a busy machine, so a slow probe flush means a slow disk or a
 * crowded CPU; which of the two, the flush alone cannot tell (docs/performance.md, "The end-to-end tail").
 */
final class PhaseTimeline implements AutoCloseable {

  static final int SLOT_MILLIS = 100;
  /** A slot is slow when a webhook due in it took longer than the end-to-end target. */
  static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final long startNanos = System.nanoTime();
  private final Instant startWallClock = Instant.now();
  private final AtomicLongArray slowest;
  private final AtomicIntegerArray checkpointing;
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private final long[] countersBefore;
  private final Pool pool;
  static final int PROBE_MILLIS = 20;
  /** A flush this slow holds every commit behind it at least as long. */
  static final long SLOW_FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private final FileChannel probe;
  private final Path probeFile;
  private final ByteBuffer page = ByteBuffer.allocateDirect(8192);
  private final Latency flushes = new Latency();
  private final AtomicIntegerArray slowFlush;

  PhaseTimeline(Pool pool, long phaseMillis, Path workDir) throws Exception {
    this.pool = pool;
    int slots = (int) (phaseMillis / SLOT_MILLIS) + 1;
    slowest = new AtomicLongArray(slots);
    checkpointing = new AtomicIntegerArray(slots);
    slowFlush = new AtomicIntegerArray(slots);
    countersBefore = counters();
    probeFile = Files.createTempFile(workDir, "flush-probe", ".bin");
    probe = FileChannel.open(probeFile, StandardOpenOption.WRITE);
    sampler.scheduleAtFixedRate(this::sample, 0, SLOT_MILLIS, TimeUnit.MILLISECONDS);
    flusher.scheduleAtFixedRate(this::flush, 0, PROBE_MILLIS, TimeUnit.MILLISECONDS);
  }

  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor();
  private long probeOffset;

  private void flush() {
    try {
      page.clear();
      probe.write(page, probeOffset);
      probeOffset = (probeOffset + page.capacity()) % (1 << 20);
      long start = System.nanoTime();
      probe.force(false);
      long took = System.nanoTime() - start;
      flushes.record(took);
      int slot = slot(start);
      if (slot >= 0 && took > SLOW_FLUSH_NANOS) {
        slowFlush.set(slot, 1);
      }
    } catch (Exception e) {
      // The probe is evidence, not the measurement: a failed flush is left out.
    }
  }

  /** A webhook due at {@code dueNanos} (System.nanoTime) took {@code latencyNanos}. */
  void record(long dueNanos, long latencyNanos) {
    int slot = slot(dueNanos);
    if (slot >= 0) {
      slowest.accumulateAndGet(slot, latencyNanos, Math::max);
    }
  }

  private int slot(long nanos) {
    long slot = (nanos - startNanos) / TimeUnit.MILLISECONDS.toNanos(SLOT_MILLIS);
    return slot < 0 || slot >= slowest.length() ? -1 : (int) slot;
  }

  private void sample() {
    try {
      Row row = pool.query("SELECT coalesce(wait_event, '') FROM pg_stat_activity WHERE backend_type = 'checkpointer'")
          .execute().await(1, TimeUnit.SECONDS).iterator().next();
      // Between checkpoints the checkpointer waits in CheckpointerMain; while it writes a
      // checkpoint it is in CheckpointWriteDelay, or doing I/O.
      int slot = slot(System.nanoTime());
      if (slot >= 0 && !"CheckpointerMain".equals(row.getString(0))) {
        checkpointing.set(slot, 1);
      }
    } catch (Exception e) {
      // A missed sample leaves its slot counted as no checkpoint; the counters below still tell.
    }
  }

  /**
   * Checkpoints completed (timed and requested), buffers they wrote, full-page images in the WAL,
   * WAL flushes (each an fdatasync a commit may wait for) and commits, so far, server-wide.
   */
  private long[] counters() throws Exception {
    Row row = pool.query("SELECT checkpoints_timed + checkpoints_req, buffers_checkpoint, w.wal_fpi, w.wal_sync, "
            + "(SELECT sum(xact_commit)::bigint FROM pg_stat_database) FROM pg_stat_bgwriter, pg_stat_wal w").execute()
        .await(30, TimeUnit.SECONDS).iterator().next();
    return new long[] {row.getLong(0), row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4)};
  }

  /** The slots, the slow ones, and how many of each were inside a checkpoint. */
  JsonObject toJson(long webhooks) throws Exception {
    close();
    long[] after = counters();
    int slots = 0;
    int slow = 0;
    int inCheckpoint = 0;
    int slowInCheckpoint = 0;
    int slowWithSlowFlush = 0;
    int withSlowFlush = 0;
    JsonArray slowStarts = new JsonArray();
    for (int i = 0; i < slowest.length(); i++) {
      if (slowest.get(i) == 0) {
        continue; // nothing was due then (the phase ended earlier)
      }
      slots++;
      boolean cp = checkpointing.get(i) == 1;
      boolean isSlow = slowest.get(i) > SLOW_NANOS;
      inCheckpoint += cp ? 1 : 0;
      slow += isSlow ? 1 : 0;
      slowInCheckpoint += cp && isSlow ? 1 : 0;
      // A flush that started in this slot or the one before can hold this slot's commits.
      boolean flushStall = slowFlush.get(i) == 1 || (i > 0 && slowFlush.get(i - 1) == 1);
      withSlowFlush += slowFlush.get(i);
      slowWithSlowFlush += isSlow && flushStall ? 1 : 0;
      if (isSlow && slowStarts.size() < 50) {
        // Wall-clock time, to match with the hub's GC log or PostgreSQL's log.
        slowStarts.add(startWallClock.plusMillis((long) i * SLOT_MILLIS).toString().substring(11, 23)
            + " " + slowest.get(i) / 1_000_000 + " ms");
      }
    }
    return new JsonObject().put("slotMillis", SLOT_MILLIS).put("slowOverMillis", SLOW_NANOS / 1_000_000)
        .put("slots", slots).put("slowSlots", slow).put("slowSlotStarts", slowStarts)
        .put("slotsInCheckpoint", inCheckpoint).put("slowSlotsInCheckpoint", slowInCheckpoint)
        .put("slotsWithSlowFlush", withSlowFlush).put("slowSlotsWithSlowFlush", slowWithSlowFlush)
        .put("slowFlushOverMillis", SLOW_FLUSH_NANOS / 1_000_000).put("diskFlush", flushes.toJson())
        .put("checkpointsCompleted", after[0] - countersBefore[0])
        .put("checkpointBuffersWritten", after[1] - countersBefore[1])
        .put("fullPageImagesPerWebhook", perWebhook(after[2] - countersBefore[2], webhooks))
        .put("walFlushesPerWebhook", perWebhook(after[3] - countersBefore[3], webhooks))
        .put("commitsPerWebhook", perWebhook(after[4] - countersBefore[4], webhooks));
  }

  private static Double perWebhook(long count, long webhooks) {
    return webhooks == 0 ? null : Math.round(100.0 * count / webhooks) / 100.0;
  }

  @Override
  public void close() throws Exception {
    sampler.shutdownNow();
    flusher.shutdownNow();
    flusher.awaitTermination(5, TimeUnit.SECONDS);
    if (probe.isOpen()) {
      probe.close();
    }
    Files.deleteIfExists(probeFile);
  }
}
