package io.kychub.reconcile;

import io.kychub.model.Addresses;
import io.kychub.model.RecordCodec;
import io.kychub.model.StatusChangedEvent;
import io.kychub.model.UpdateBatch;
import io.kychub.store.KycStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies adapters' update batches: one transaction per delivery (see {@link KycStore#apply}),
 * then publishes the recorded events to every node. Replies with the number of events, or fails
 * the message so the inbox sweep tries the delivery again.
 */
public final class ReconcilerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcilerVerticle.class);

  private final KycStore store;
  private final ReuseCoordinator reuse;
  private final int maxInFlight;
  private final Counter applied;
  private final Counter ignored;
  private final Counter failed;
  private MessageConsumer<UpdateBatch> consumer;
  private int inFlight;

  /** @param reuse follows up verified and lapsed decisions for verify-once reuse; null for none */
  public ReconcilerVerticle(KycStore store, ReuseCoordinator reuse, int maxInFlight, MeterRegistry registry) {
    this.store = store;
    this.reuse = reuse;
    this.maxInFlight = maxInFlight;
    this.applied = Counter.builder("kyc.reconcile.updates").tag("outcome", "applied").register(registry);
    this.ignored = Counter.builder("kyc.reconcile.updates").tag("outcome", "unchanged").register(registry);
    this.failed = Counter.builder("kyc.reconcile.batches").tag("outcome", "failed").register(registry);
  }

  @Override
  public Future<?> start() {
    RecordCodec.registerAll(vertx.eventBus());
    consumer = vertx.eventBus().consumer(Addresses.RECONCILE, this::handle);
    return consumer.completion();
  }

  private void handle(Message<UpdateBatch> message) {
    UpdateBatch batch = message.body();
    // Bounded concurrency: past the limit the consumer pauses and the bus buffers for us.
    if (++inFlight >= maxInFlight) {
      consumer.pause();
    }
    apply(batch).onComplete(ar -> {
      if (inFlight-- == maxInFlight) {
        consumer.resume();
      }
      if (ar.succeeded()) {
        message.reply(ar.result().size());
      } else {
        failed.increment();
        LOG.warn("delivery {} of {}/{} not applied: {}", batch.deliveryId(), batch.tenantId(), batch.provider(),
            ar.cause().getMessage());
        message.fail(500, "not applied");
      }
    });
  }

  /** Applies one batch and publishes what changed; also used for updates that do not come from the inbox. */
  public Future<List<StatusChangedEvent>> apply(UpdateBatch batch) {
    return store.apply(batch, (current, update) -> TransitionRules.decide(current, update) == TransitionRules.Verdict.APPLY)
        .onSuccess(events -> {
          applied.increment(events.size());
          ignored.increment(batch.updates().size() - events.size());
          events.forEach(e -> vertx.eventBus().publish(Addresses.EVENTS, e));
          if (reuse != null && !events.isEmpty()) {
            // Reuse is derived state: a failure here is logged and the verification sweep catches up.
            reuse.afterEvents(events).onFailure(err -> LOG.warn("reuse follow-up failed: {}", err.getMessage()));
          }
        });
  }
}
