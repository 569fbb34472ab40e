package io.kychub.reconcile;

import io.kychub.model.Addresses;
import io.kychub.model.CacheInvalidation;
import io.kychub.model.DecidedBy;
import io.kychub.model.FutureCache;
import io.kychub.model.KycState;
import io.kychub.model.KycStatus;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.StatusChangedEvent;
import io.kychub.model.Tenant;
import io.kychub.model.VerificationIds;
import io.kychub.store.CustomerStore;
import io.kychub.store.KycStore;
import io.kychub.store.KycStore.HubDecision;
import io.kychub.store.KycStore.NewVerification;
import io.kychub.store.StateConflictException;
import io.kychub.store.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Verify once, reuse everywhere. A person (keyed fingerprint of identity claims) verified at a
 * tenant that shares is reused by tenants that accept, within their maximum age: at start, and
 * for their pending customers as soon as the person is verified. When the source lapses (expired
 * or rejected), every reuse of it expires. Reused events carry only the receiving tenant's ids.
 */
public final class ReuseCoordinator {

  static final String LAPSED = "the verification this one reused is no longer valid";
  /** Bounds staleness should an invalidation message ever be lost. */
  static final long TENANT_CACHE_MILLIS = 30_000;

  private final Vertx vertx;
  private final KycStore kyc;
  private final CustomerStore customers;
  private final TenantStore tenants;
  /** Tenants' reuse policies, read for every verified event: cached, dropped on an admin change (on every node). */
  private final FutureCache<String, Optional<Tenant>> tenantCache = FutureCache.shared(TENANT_CACHE_MILLIS, 100_000);

  public ReuseCoordinator(Vertx vertx, KycStore kyc, CustomerStore customers, TenantStore tenants) {
    this.vertx = vertx;
    this.kyc = kyc;
    this.customers = customers;
    this.tenants = tenants;
    vertx.eventBus().<CacheInvalidation>consumer(Addresses.CACHE_INVALIDATE, m -> tenantCache.remove(m.body().tenantId()));
  }

  private Future<Optional<Tenant>> tenant(String tenantId) {
    return tenantCache.get(tenantId, tenants::find);
  }

  /** Records {@code verified} by reuse for the customer when its tenant's policy finds a source. */
  public Future<Optional<StatusChangedEvent>> tryReuse(String tenantId, String customerId) {
    return tryReuse(tenantId, customerId, state -> true);
  }

  private Future<Optional<StatusChangedEvent>> tryReuse(String tenantId, String customerId,
      Predicate<KycState> allowed) {
    return tenant(tenantId).compose(tenant -> {
      if (tenant.isEmpty() || !tenant.get().reuse().accept()) {
        return Future.succeededFuture(Optional.empty());
      }
      int maxAge = tenant.get().reuse().maxAgeDays();
      return customers.fingerprint(tenantId, customerId).compose(fp -> fp.isEmpty()
          ? Future.succeededFuture(Optional.<CustomerStore.ReuseSource>empty())
          : customers.reusable(fp.get(), tenantId, maxAge))
          .compose(source -> source.isEmpty()
              ? Future.succeededFuture(Optional.<StatusChangedEvent>empty())
              : reuse(tenantId, customerId, source.get().provider(), source.get().verificationId(), allowed)
                  .map(Optional::of));
    });
  }

  /** Like {@link #tryReuse}, but only while the customer is still pending; true when reused. */
  public Future<Boolean> tryReuseIfPending(String tenantId, String customerId) {
    return tryReuse(tenantId, customerId, state -> state.status() == KycStatus.PENDING)
        .map(Optional::isPresent)
        .recover(err -> err instanceof StateConflictException ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /** Follows up recorded events: completes pending customers of a verified person, expires reuses of a lapsed one. */
  public Future<Void> afterEvents(List<StatusChangedEvent> events) {
    List<Future<?>> work = new ArrayList<>();
    for (StatusChangedEvent e : events) {
      if (e.status() == KycStatus.VERIFIED && e.decidedBy() != DecidedBy.REUSE) {
        work.add(completePending(e));
      } else if (e.previousStatus() == KycStatus.VERIFIED
          && (e.status() == KycStatus.EXPIRED || e.status() == KycStatus.REJECTED)) {
        work.add(expireReuses(UUID.fromString(e.verificationId())));
      }
    }
    return Future.join(work).mapEmpty();
  }

  private Future<?> completePending(StatusChangedEvent source) {
    return tenant(source.tenantId()).map(t -> t.map(Tenant::reuse).filter(r -> r.share()).isPresent())
        .compose(shares -> !shares ? Future.succeededFuture()
            : customers.fingerprint(source.tenantId(), source.customerId()).compose(fp -> fp.isEmpty()
                ? Future.succeededFuture(List.<CustomerStore.CustomerRef>of())
                : customers.pendingOfPerson(fp.get(), source.tenantId()))
                .compose(pending -> Future.join(pending.stream().<Future<?>>map(c -> reuse(c.tenantId(), c.customerId(),
                    source.provider(), UUID.fromString(source.verificationId()),
                    state -> state.status() == KycStatus.PENDING).recover(ReuseCoordinator::ignoreConflict)).toList())));
  }

  private Future<?> expireReuses(UUID sourceVerification) {
    return customers.reusesOf(sourceVerification).compose(reuses -> Future.join(reuses.stream().<Future<?>>map(c ->
        kyc.decide(new HubDecision(c.tenantId(), c.customerId(), null, KycStatus.EXPIRED, DecidedBy.REUSE,
                Reason.of(ReasonCode.OTHER, LAPSED), null),
            state -> state.status() == KycStatus.VERIFIED && state.decidedBy() == DecidedBy.REUSE)
            .onSuccess(this::publish)
            .recover(ReuseCoordinator::ignoreConflict)).toList()));
  }

  private Future<StatusChangedEvent> reuse(String tenantId, String customerId, String provider, UUID source,
      Predicate<KycState> allowed) {
    return kyc.decide(new HubDecision(tenantId, customerId, provider, KycStatus.VERIFIED, DecidedBy.REUSE, null,
            new NewVerification(VerificationIds.next(), null, null, source, null)), allowed)
        .onSuccess(this::publish);
  }

  private void publish(StatusChangedEvent event) {
    vertx.eventBus().publish(Addresses.EVENTS, event);
  }

  /** The customer moved on meanwhile (no longer pending / no longer a reuse): nothing to do. */
  private static <T> Future<T> ignoreConflict(Throwable err) {
    return err instanceof StateConflictException ? Future.succeededFuture() : Future.failedFuture(err);
  }
}
