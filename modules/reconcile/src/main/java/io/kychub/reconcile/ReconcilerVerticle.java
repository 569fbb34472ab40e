package io.kychub.reconcile;

import io.kychub.model.Addresses;
import io.kychub.model.RecordCodec;
import io.kychub.model.StatusChangedEvent;
import io.kychub.model.UpdateBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies adapters' update batches and publishes the recorded events to every node; replies with
 * the number of events, or fails the message so the inbox sweep tries the delivery again.
 *
 * <p>A tenant's events take its sequence row lock until commit, so a tenant's transactions run
 * one after another anyway. The verticle therefore keeps a queue per tenant and runs at most one
 * transaction per tenant at a time; a transaction takes whatever queued meanwhile for every
 * tenant not already in one (up to {@link #GROUP_MAX} deliveries in all): one commit for many
 * deliveries under load, also when they come from many quiet tenants, and at low load no wait
 * but the linger.
 * Up to {@code maxInFlight} transactions, on disjoint sets of tenants, run in parallel.
 *
 * <p>With a linger, a transaction that would start with fewer than {@link #LINGER_UNTIL}
 * deliveries waits up to that long for company first: at moderate rates almost nothing queues
 * behind a short transaction, so each delivery would otherwise pay a commit and a handful of
 * statements on its own (docs/performance.md, "Reconcile linger").
 */
public final class ReconcilerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcilerVerticle.class);
  static final int GROUP_MAX = 256;
  /** A group this large starts at once, linger or not. */
  static final int LINGER_UNTIL = 32;
  private static final int MAX_QUEUED = 20_000;

  private final DecisionPath door;
  private final int maxInFlight;
  private final long lingerMillis;
  private final Counter applied;
  private final Counter transactions;
  private final Counter ignored;
  private final Counter failed;
  private final Map<String, ArrayDeque<Message<UpdateBatch>>> queues = new HashMap<>();
  /** Tenants with queued deliveries and no transaction running, in the order they became ready. */
  private final Set<String> ready = new LinkedHashSet<>();
  /** Tenants in a running transaction. */
  private final Set<String> running = new HashSet<>();
  private int inFlight;
  private MessageConsumer<UpdateBatch> consumer;
  private int queued;
  private boolean paused;
  private long lingerTimer = -1;
  /** When the queue last went from empty to not: its oldest delivery is at most this old. */
  private long oldestQueuedNanos;

  /** @param lingerMillis how long a small group waits for more deliveries before it starts; 0 for never */
  public ReconcilerVerticle(DecisionPath door, int maxInFlight, long lingerMillis, MeterRegistry registry) {
    this.door = door;
    this.maxInFlight = maxInFlight;
    this.lingerMillis = lingerMillis;
    this.applied = Counter.builder("kyc.reconcile.updates").tag("outcome", "applied").register(registry);
    this.ignored = Counter.builder("kyc.reconcile.updates").tag("outcome", "unchanged").register(registry);
    this.failed = Counter.builder("kyc.reconcile.batches").tag("outcome", "failed").register(registry);
    this.transactions = Counter.builder("kyc.reconcile.transactions")
        .description("reconcile group transactions started").register(registry);
  }

  @Override
  public Future<?> start() {
    RecordCodec.registerAll(vertx.eventBus());
    consumer = vertx.eventBus().consumer(Addresses.RECONCILE, this::enqueue);
    return consumer.completion();
  }

  private void enqueue(Message<UpdateBatch> message) {
    String tenant = message.body().tenantId();
    queues.computeIfAbsent(tenant, t -> new ArrayDeque<>()).add(message);
    if (queued == 0) {
      oldestQueuedNanos = System.nanoTime();
    }
    if (++queued >= MAX_QUEUED && !paused) {
      // Past the bound the event bus holds further messages for us (and the sweep covers any loss).
      paused = true;
      consumer.pause();
    }
    if (!running.contains(tenant)) {
      ready.add(tenant);
    }
    drain();
  }

  private void drain() {
    while (inFlight < maxInFlight && !ready.isEmpty()) {
      if (lingerMillis > 0 && queued < LINGER_UNTIL) {
        // Measured from the oldest queued delivery, so none waits longer than the linger for it.
        long leftMillis = lingerMillis - (System.nanoTime() - oldestQueuedNanos) / 1_000_000;
        if (leftMillis > 0) {
          if (lingerTimer < 0) {
            lingerTimer = vertx.setTimer(leftMillis, id -> {
              lingerTimer = -1;
              drain();
            });
          }
          return;
        }
      }
      if (lingerTimer >= 0) {
        vertx.cancelTimer(lingerTimer);
        lingerTimer = -1;
      }
      List<Message<UpdateBatch>> group = new ArrayList<>();
      List<String> tenants = new ArrayList<>();
      Iterator<String> next = ready.iterator();
      while (next.hasNext() && group.size() < GROUP_MAX) {
        String tenant = next.next();
        next.remove();
        ArrayDeque<Message<UpdateBatch>> queue = queues.get(tenant);
        while (!queue.isEmpty() && group.size() < GROUP_MAX) {
          group.add(queue.poll());
        }
        if (queue.isEmpty()) {
          queues.remove(tenant);
        }
        tenants.add(tenant);
        running.add(tenant);
      }
      queued -= group.size();
      inFlight++;
      transactions.increment();
      applyGroup(group).onComplete(ar -> {
        inFlight--;
        for (String tenant : tenants) {
          running.remove(tenant);
          if (queues.containsKey(tenant)) {
            ready.add(tenant);
          }
        }
        if (paused && queued < MAX_QUEUED / 2) {
          paused = false;
          consumer.resume();
        }
        drain();
      });
    }
  }

  /** One transaction for the group; if it fails, each delivery alone, so one bad delivery fails only itself. */
  private Future<Void> applyGroup(List<Message<UpdateBatch>> group) {
    List<UpdateBatch> batches = group.stream().map(Message::body).toList();
    Future<List<List<StatusChangedEvent>>> all = door.apply(batches);
    return all.map(results -> {
      for (int i = 0; i < group.size(); i++) {
        recorded(batches.get(i), results.get(i));
        group.get(i).reply(results.get(i).size());
      }
      return (Void) null;
    }).recover(err -> group.size() == 1 ? failOne(group.get(0), err) : Future.join(group.stream()
        .<Future<?>>map(m -> apply(m.body()).<Void>map(events -> {
          m.reply(events.size());
          return null;
        }).recover(e -> failOne(m, e)))
        .toList()).mapEmpty());
  }

  private Future<Void> failOne(Message<UpdateBatch> message, Throwable err) {
    UpdateBatch batch = message.body();
    failed.increment();
    LOG.warn("delivery {} of {}/{} not applied: {}", batch.deliveryId(), batch.tenantId(), batch.provider(), err.getMessage());
    message.fail(500, "not applied");
    return Future.succeededFuture();
  }

  /** Applies one batch through the decision path, which publishes what changed. */
  public Future<List<StatusChangedEvent>> apply(UpdateBatch batch) {
    return door.apply(List.of(batch)).map(all -> all.get(0)).onSuccess(events -> recorded(batch, events));
  }

  private void recorded(UpdateBatch batch, List<StatusChangedEvent> events) {
    applied.increment(events.size());
    ignored.increment(batch.changes().size() - events.size());
  }
}
