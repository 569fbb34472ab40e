package io.kychub.reconcile;

import io.kychub.model.Addresses;
import io.kychub.store.FollowUps;
import io.kychub.store.FollowUps.FollowUp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the follow-ups status changes recorded, on every node: claims due ones (a lease, so those
 * of a node that died are taken over when it lapses), runs each kind's handler, and marks it done,
 * due again after a backoff (1 s, 2 s, 4 s ... at most 10 min), or failed after {@link
 * #MAX_ATTEMPTS} attempts or a {@link FollowUpFailure}. Failed ones are listed by the admin API,
 * which can put them back. Nudged by the decision path after a commit that recorded some, and
 * polls every {@code intervalMillis} otherwise.
 */
public final class FollowUpRunner extends PeriodicSweep {

  private static final Logger LOG = LoggerFactory.getLogger(FollowUpRunner.class);
  static final int MAX_ATTEMPTS = 20;
  static final int BATCH = 50;
  static final long MAX_BACKOFF_MILLIS = 600_000;
  private static final long COUNTS_MILLIS = 10_000;

  private final FollowUps store;
  private final long leaseMillis;
  private final Map<String, Function<FollowUp, Future<Void>>> handlers;
  private final MeterRegistry registry;
  private final Map<String, Counter> outcomes = new HashMap<>();
  private final Map<String, AtomicLong> open = new ConcurrentHashMap<>();

  /**
   * @param handlers by kind ({@link FollowUps#REUSE_OFFER} ...): complete when the work is done
   * @param leaseMillis how long a claim keeps other nodes off a follow-up (longer than a handler takes)
   */
  public FollowUpRunner(FollowUps store, Map<String, Function<FollowUp, Future<Void>>> handlers, long intervalMillis,
      long leaseMillis, MeterRegistry registry) {
    super(intervalMillis);
    this.store = store;
    this.leaseMillis = leaseMillis;
    this.handlers = Map.copyOf(handlers);
    this.registry = registry;
    for (String kind : handlers.keySet()) {
      for (String state : List.of("pending", "failed")) {
        AtomicLong count = new AtomicLong();
        open.put(state + " " + kind, count);
        Gauge.builder("kyc.follow_ups", count, AtomicLong::get).description("follow-ups not done, by state and kind")
            .tag("state", state).tag("kind", kind).register(registry);
      }
    }
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().localConsumer(Addresses.FOLLOW_UPS_DUE, m -> sweep());
    vertx.setPeriodic(COUNTS_MILLIS, id -> store.counts().onSuccess(counts ->
        open.forEach((key, count) -> count.set(counts.getOrDefault(key, 0L)))));
    return super.start();
  }

  @Override
  protected Future<Integer> pass() {
    return store.claimDue(BATCH, leaseMillis)
        .compose(due -> Future.join(due.stream().map(this::run).toList()).map(due.size()))
        // A full batch: more may be due at once.
        .onSuccess(n -> {
          if (n == BATCH) {
            vertx.runOnContext(v -> sweep());
          }
        })
        .otherwise(err -> {
          LOG.warn("follow-up pass failed: {}", err.getMessage());
          return 0;
        });
  }

  private Future<Void> run(FollowUp followUp) {
    Function<FollowUp, Future<Void>> handler = handlers.get(followUp.kind());
    Future<Void> work;
    try {
      work = handler == null ? Future.failedFuture(new FollowUpFailure("no handler for " + followUp.kind())) : handler.apply(followUp);
    } catch (RuntimeException e) {
      work = Future.failedFuture(e);
    }
    return work.transform(ar -> {
      if (ar.succeeded()) {
        count(followUp.kind(), "done");
        return store.done(followUp.id());
      }
      String error = String.valueOf(ar.cause().getMessage());
      if (ar.cause() instanceof FollowUpFailure || followUp.attempts() >= MAX_ATTEMPTS) {
        count(followUp.kind(), "failed");
        LOG.warn("follow-up {} ({}) failed after {} attempts: {}", followUp.id(), followUp.kind(), followUp.attempts(), error);
        return store.failed(followUp.id(), error);
      }
      count(followUp.kind(), "retried");
      return store.retryLater(followUp.id(), backoffMillis(followUp.attempts()), error);
    }).otherwise(err -> {
      // The outcome was not stored: the lease runs out and the follow-up is claimed again.
      LOG.warn("follow-up {} outcome not stored: {}", followUp.id(), err.getMessage());
      return null;
    });
  }

  /** 1 s after the first attempt, doubling, at most 10 minutes. */
  static long backoffMillis(int attempts) {
    return Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(20, Math.max(0, attempts - 1)));
  }

  private void count(String kind, String outcome) {
    outcomes.computeIfAbsent(kind + '/' + outcome, k -> Counter.builder("kyc.follow_ups.runs")
        .description("follow-up attempts by kind and outcome").tag("kind", kind).tag("outcome", outcome)
        .register(registry)).increment();
  }
}
