package io.kychub.reconcile;

import io.kychub.model.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** A verticle that runs one pass of work every interval, never two passes at once. */
abstract class PeriodicSweep extends VerticleBase {

  private final long intervalMillis;
  private long timer;
  private boolean running;

  PeriodicSweep(long intervalMillis) {
    this.intervalMillis = intervalMillis;
  }

  @Override
  public Future<?> start() {
    RecordCodec.registerAll(vertx.eventBus());
    timer = vertx.setPeriodic(intervalMillis, id -> sweep());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** Runs one pass now unless one is running; completes with how many items it handled. */
  public Future<Integer> sweep() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    return pass().onComplete(ar -> running = false);
  }

  /** One pass; must not fail for an item's sake (failures are counted or logged inside). */
  protected abstract Future<Integer> pass();
}
