package io.kychub.ingress;

import io.kychub.model.Addresses;
import io.kychub.model.InboundDelivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands stored deliveries to the providers' adapters with flow control, for one listener
 * instance (one event loop, no locks). Sent blindly, a burst that outruns the reconciler piles up
 * in front of its paused consumer, which drops everything past 1,000 messages: every dropped
 * delivery then waits for the inbox sweep. Instead at most {@code maxInFlight} deliveries are
 * unanswered at a time (the adapter answers once the reconciler has applied); the next ones wait
 * here, up to {@code maxQueued}, and past that they are only in the inbox, where the sweep finds
 * them. Nothing is lost either way: the inbox row is the durable copy.
 */
public final class DeliveryDispatcher {

  private final Vertx vertx;
  private final int maxInFlight;
  private final int maxQueued;
  private final DeliveryOptions options;
  private final ArrayDeque<InboundDelivery> queue = new ArrayDeque<>();
  private final Counter leftToSweep;
  private final AtomicLong nodeBacklog;
  private int inFlight;

  /**
   * @param nodeBacklog shared by the node's dispatchers: deliveries sent or queued and not yet
   *     answered (the inbox sweep leaves young deliveries alone while it is not zero)
   */
  public DeliveryDispatcher(Vertx vertx, int maxInFlight, int maxQueued, long answerTimeoutMillis, AtomicLong nodeBacklog,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.nodeBacklog = nodeBacklog;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
    this.options = new DeliveryOptions().setSendTimeout(answerTimeoutMillis);
    this.leftToSweep = Counter.builder("kyc.webhooks.left_to_sweep")
        .description("stored deliveries not sent to an adapter because too many were waiting; the inbox sweep applies them")
        .register(registry);
  }

  public void dispatch(InboundDelivery delivery) {
    if (inFlight < maxInFlight) {
      nodeBacklog.incrementAndGet();
      send(delivery);
    } else if (queue.size() < maxQueued) {
      nodeBacklog.incrementAndGet();
      queue.add(delivery);
    } else {
      leftToSweep.increment();
    }
  }

  /** Deliveries waiting here for an adapter (for a gauge; read on the owning event loop). */
  public int queued() {
    return queue.size();
  }

  private void send(InboundDelivery delivery) {
    inFlight++;
    // A failed or late answer changes nothing here: the delivery stays unapplied and the sweep retries it.
    vertx.eventBus().request(Addresses.adapter(delivery.provider()), delivery, options).onComplete(ar -> {
      inFlight--;
      nodeBacklog.decrementAndGet();
      InboundDelivery next = queue.poll();
      if (next != null) {
        send(next);
      }
    });
  }
}
