package io.kychub.reconcile;

import io.kychub.model.Addresses;
import io.kychub.model.KycState;
import io.kychub.model.StatusChange;
import io.kychub.model.StatusChangedEvent;
import io.kychub.model.UpdateBatch;
import io.kychub.store.ConcurrentCreationException;
import io.kychub.store.KycStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Instant;
import java.util.List;

/**
 * The one door of every status change: providers' updates (from the reconciler), manual
 * decisions, verification starts, reuse grants and revocations, TTL expiry. Each goes through
 * {@link TransitionRules} and the store's one write path, which writes state, history, the event
 * and the change's follow-ups in one transaction. After the commit the events are published to
 * every node's streams (the event log is their durable copy: a stream that misses a message reads
 * it from there) and this node's follow-up runner is nudged (the follow-up rows are theirs: any
 * node's runner finds them).
 */
public final class DecisionPath {

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final KycStore store;

  public DecisionPath(Vertx vertx, KycStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /**
   * Applies batches in one transaction; returns each batch's events in order. Fails as a whole
   * (see {@link KycStore#applyAll}); the reconciler then applies them one by one.
   */
  public Future<List<List<StatusChangedEvent>>> apply(List<UpdateBatch> batches) {
    return store.applyAll(batches, DecisionPath::applies).map(applied -> {
      applied.events().forEach(events -> events.forEach(e -> vertx.eventBus().publish(Addresses.EVENTS, e)));
      if (applied.followUps() > 0) {
        vertx.eventBus().send(Addresses.FOLLOW_UPS_DUE, null, LOCAL);
      }
      return applied.events();
    });
  }

  /**
   * One change of the hub's own for a customer; its event, or a failure with {@link
   * io.kychub.store.StateConflictException} when the customer's state does not meet the change's guard.
   */
  public Future<StatusChangedEvent> decide(String tenantId, String provider, StatusChange change) {
    return decideOnce(tenantId, provider, change)
        // The customer was created by another transaction meanwhile: once more finds it.
        .recover(err -> err instanceof ConcurrentCreationException ? decideOnce(tenantId, provider, change)
            : Future.failedFuture(err));
  }

  private Future<StatusChangedEvent> decideOnce(String tenantId, String provider, StatusChange change) {
    return apply(List.of(new UpdateBatch(0, tenantId, provider, Instant.now(), List.of(change)))).map(r -> r.get(0).get(0));
  }

  static boolean applies(KycState current, StatusChange change) {
    return TransitionRules.decide(current, change) == TransitionRules.Verdict.APPLY;
  }
}
