package io.kychub.reconcile;

import io.kychub.model.Addresses;
import io.kychub.model.InboundDelivery;
import io.kychub.store.InboxStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Re-drives deliveries that were stored but not applied a while after they arrived (the node
 * that stored them died, an adapter or the database failed). Runs on every node; the inbox
 * claim keeps two nodes from taking the same rows, and the reconciler's per-delivery
 * transaction keeps a re-driven delivery from being applied twice.
 */
public final class InboxSweepVerticle extends PeriodicSweep {

  static final int BATCH = 200;
  static final long CLAIM_MILLIS = 30_000;
  static final int MAX_ATTEMPTS = InboxStore.PARKED_AFTER_ATTEMPTS;
  /**
   * The age a delivery must reach before it is re-driven while this node still has deliveries of
   * its own on the way to the reconciler: a backlog is older than the usual age, and re-driving it
   * would apply (and parse, and lock) every queued delivery twice, slowing the very backlog down.
   */
  static final long BUSY_AGE_MILLIS = 60_000;

  private final InboxStore inbox;
  private final long ageMillis;
  private final LongSupplier localBacklog;
  private final Counter redriven;

  /** @param localBacklog deliveries this node has dispatched or queued and not yet seen answered */
  public InboxSweepVerticle(InboxStore inbox, long intervalMillis, long ageMillis, LongSupplier localBacklog,
      MeterRegistry registry) {
    super(intervalMillis);
    this.inbox = inbox;
    this.ageMillis = ageMillis;
    this.localBacklog = localBacklog;
    this.redriven = Counter.builder("kyc.inbox.redriven").register(registry);
  }

  /** One pass: claim old unapplied deliveries and send each to its adapter again. */
  @Override
  protected Future<Integer> pass() {
    long age = localBacklog.getAsLong() > 0 ? Math.max(ageMillis, BUSY_AGE_MILLIS) : ageMillis;
    return inbox.claimUnapplied(age, BATCH, CLAIM_MILLIS, MAX_ATTEMPTS)
        .compose(this::redrive)
        .recover(err -> Future.succeededFuture(0))
        .onSuccess(count -> {
          if (count == BATCH) {
            // A full batch means a backlog: go on at once rather than at the next tick.
            vertx.runOnContext(v -> sweep());
          }
        });
  }

  private Future<Integer> redrive(List<InboundDelivery> deliveries) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(CLAIM_MILLIS / 2);
    List<Future<?>> sent = deliveries.stream().<Future<?>>map(d -> vertx.eventBus()
        .request(Addresses.adapter(d.provider()), d, options)
        .recover(err -> inbox.recordFailure(d.deliveryId(), "redrive failed: " + err.getMessage()).mapEmpty()))
        .toList();
    redriven.increment(deliveries.size());
    return Future.join(sent).map(deliveries.size()).otherwise(deliveries.size());
  }
}
