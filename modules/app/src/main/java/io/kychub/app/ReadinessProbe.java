package io.kychub.app;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Whether this node can serve: the database answered a probe recently and, when clustered, the
 * cluster is up. One probe every {@code intervalMillis} on the pool of credential lookups, so
 * {@code /health/ready} answers from memory and no number of health checks costs a query each.
 */
final class ReadinessProbe extends VerticleBase {

  private final Pool pool;
  private final HazelcastClusterManager clusterOrNull;
  private final long intervalMillis;
  private volatile long databaseOkAt;
  private volatile boolean lastProbeOk;

  ReadinessProbe(Pool pool, HazelcastClusterManager clusterOrNull, long intervalMillis) {
    this.pool = pool;
    this.clusterOrNull = clusterOrNull;
    this.intervalMillis = intervalMillis;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(intervalMillis, id -> probe());
    return probe().otherwiseEmpty();
  }

  private Future<Void> probe() {
    return pool.query("SELECT 1").execute()
        .onSuccess(rs -> {
          databaseOkAt = System.nanoTime();
          lastProbeOk = true;
        })
        .onFailure(err -> lastProbeOk = false)
        .mapEmpty();
  }

  /** The last probe succeeded, within the last three probe intervals (a probe that hangs counts as down). */
  boolean databaseReady() {
    return lastProbeOk && System.nanoTime() - databaseOkAt < 3 * intervalMillis * 1_000_000;
  }

  boolean clusterReady() {
    return clusterOrNull == null || clusterOrNull.isActive();
  }

  boolean clustered() {
    return clusterOrNull != null;
  }
}
