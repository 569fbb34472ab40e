package io.kychub.reconcile;

import io.kychub.model.Addresses;
import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.Guard;
import io.kychub.model.KycStatus;
import io.kychub.model.ProviderCredential;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.StatusChange;
import io.kychub.model.SubjectKind;
import io.kychub.model.UpdateBatch;
import io.kychub.providers.api.PollRequest;
import io.kychub.providers.api.ProviderClient;
import io.kychub.store.CredentialStore;
import io.kychub.store.CustomerStore;
import io.kychub.store.CustomerStore.OpenVerification;
import io.kychub.store.StateConflictException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks after verifications stuck in {@code pending}/{@code processing}: a pending one past its
 * TTL expires; the others are offered reuse (a person verified elsewhere meanwhile) and polled from
 * the provider's status API, so a missed webhook is recovered. Runs on every node: each pass
 * claims its rows with SKIP LOCKED and a poll timestamp, and every change goes through the same
 * transaction and ordering rules as webhooks.
 */
public final class VerificationSweepVerticle extends PeriodicSweep {

  private static final Logger LOG = LoggerFactory.getLogger(VerificationSweepVerticle.class);
  static final int BATCH = 100;
  static final String TTL_DETAIL = "no progress before the verification's time limit";

  private final CustomerStore customers;
  private final DecisionPath door;
  private final CredentialStore credentials;
  private final Map<String, ProviderClient> clients;
  private final ReuseCoordinator reuse;
  private final long idleMillis;
  private final long pendingTtlMillis;
  private final Counter expired;
  private final Counter polled;

  public VerificationSweepVerticle(CustomerStore customers, DecisionPath door, CredentialStore credentials,
      Map<String, ProviderClient> clients, ReuseCoordinator reuse, long intervalMillis, long idleMillis,
      long pendingTtlMillis, MeterRegistry registry) {
    super(intervalMillis);
    this.customers = customers;
    this.door = door;
    this.credentials = credentials;
    this.clients = clients;
    this.reuse = reuse;
    this.idleMillis = idleMillis;
    this.pendingTtlMillis = pendingTtlMillis;
    this.expired = Counter.builder("kyc.verifications.expired").description("pending verifications past their TTL")
        .register(registry);
    this.polled = Counter.builder("kyc.verifications.polled").description("provider status polls").register(registry);
  }

  /** One pass over idle open verifications; returns how many it looked at. */
  @Override
  protected Future<Integer> pass() {
    return customers.claimIdle(Math.min(idleMillis, pendingTtlMillis), BATCH)
        .compose(open -> Future.join(open.stream().<Future<?>>map(this::handle).toList()).map(open.size()))
        .otherwise(err -> {
          LOG.warn("verification sweep failed: {}", err.getMessage());
          return 0;
        });
  }

  private Future<?> handle(OpenVerification v) {
    if (!v.current()) {
      return Future.succeededFuture();
    }
    Instant deadline = v.expiresAt() != null ? v.expiresAt() : v.updatedAt().plusMillis(pendingTtlMillis);
    if (v.status() == KycStatus.PENDING && Instant.now().isAfter(deadline)) {
      return expire(v);
    }
    Future<Boolean> reused = v.status() == KycStatus.PENDING
        ? reuse.tryReuseIfPending(v.tenantId(), v.customerId())
        : Future.succeededFuture(false);
    return reused.compose(done -> done ? Future.succeededFuture() : poll(v));
  }

  private Future<?> expire(OpenVerification v) {
    return door.decide(v.tenantId(), v.provider(), new StatusChange(
            new CanonicalUpdate(v.customerId(), SubjectKind.CUSTOMER, KycStatus.EXPIRED, DecidedBy.PROVIDER,
                Reason.of(ReasonCode.ABANDONED, TTL_DETAIL), null),
            Guard.PENDING_VERIFICATION, v.id(), null, false))
        .onSuccess(event -> expired.increment())
        .recover(err -> err instanceof StateConflictException ? Future.succeededFuture() : Future.failedFuture(err));
  }

  private Future<?> poll(OpenVerification v) {
    ProviderClient client = clients.get(v.provider());
    if (client == null) {
      return Future.succeededFuture();
    }
    return credentials.find(v.tenantId(), v.provider())
        .compose(c -> c.filter(ProviderCredential::enabled).isEmpty() ? Future.succeededFuture(Optional.empty())
            : client.poll(c.get().api(), new PollRequest(v.customerId(), v.providerRef())))
        .compose(update -> {
          polled.increment();
          if (update.isEmpty()) {
            return Future.succeededFuture();
          }
          UpdateBatch batch = UpdateBatch.ofDelivery(0, v.tenantId(), v.provider(), Instant.now(), List.of(update.get()));
          return vertx.eventBus().request(Addresses.RECONCILE, batch);
        })
        .recover(err -> {
          LOG.debug("poll of {}/{} failed: {}", v.tenantId(), v.provider(), err.getMessage());
          return Future.succeededFuture();
        });
  }
}
