package io.kychub.reconcile;

import io.kychub.model.Addresses;
import io.kychub.model.CacheInvalidation;
import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.FutureCache;
import io.kychub.model.Guard;
import io.kychub.model.KycStatus;
import io.kychub.model.NewVerification;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.StatusChange;
import io.kychub.model.StatusChangedEvent;
import io.kychub.model.SubjectKind;
import io.kychub.model.Tenant;
import io.kychub.model.VerificationIds;
import io.kychub.store.CustomerStore;
import io.kychub.store.CustomerStore.Source;
import io.kychub.store.FollowUps.FollowUp;
import io.kychub.store.StateConflictException;
import io.kychub.store.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Verify once, reuse everywhere. A person (keyed fingerprint of identity claims) verified at a
 * tenant that shares is reused by tenants that accept, within their maximum age: at start, for
 * their pending customers when the person is verified (the follow-up {@code reuse.offer}), and by
 * the sweep. Reuse draws only on a verification bound to the same claims. When a source customer
 * leaves verified, every reuse of its verifications expires (the follow-up {@code reuse.revoke}).
 * Every grant and revocation is a change through the {@link DecisionPath}; reused events carry
 * only the receiving tenant's ids.
 */
public final class ReuseCoordinator {

  static final String LAPSED = "the verification this one reused is no longer valid";
  /** Bounds staleness should an invalidation message ever be lost. */
  static final long TENANT_CACHE_MILLIS = 30_000;

  private final DecisionPath door;
  private final CustomerStore customers;
  private final TenantStore tenants;
  /** Tenants' reuse policies: cached, dropped on an admin change (on every node). */
  private final FutureCache<String, Optional<Tenant>> tenantCache = FutureCache.shared(TENANT_CACHE_MILLIS, 100_000);

  public ReuseCoordinator(Vertx vertx, DecisionPath door, CustomerStore customers, TenantStore tenants) {
    this.door = door;
    this.customers = customers;
    this.tenants = tenants;
    vertx.eventBus().<CacheInvalidation>consumer(Addresses.CACHE_INVALIDATE, m -> tenantCache.remove(m.body().tenantId()));
  }

  private Future<Optional<Tenant>> tenant(String tenantId) {
    return tenantCache.get(tenantId, tenants::find);
  }

  /** At a start: records {@code verified} by reuse when the tenant accepts and a source of the same person exists. */
  public Future<Optional<StatusChangedEvent>> tryReuseAtStart(String tenantId, String customerId) {
    return tryReuse(tenantId, customerId, Guard.ANY);
  }

  /** For a pending customer (the sweep): the same, only while it is still pending; true when reused. */
  public Future<Boolean> tryReuseIfPending(String tenantId, String customerId) {
    return tryReuse(tenantId, customerId, Guard.PENDING).map(Optional::isPresent);
  }

  private Future<Optional<StatusChangedEvent>> tryReuse(String tenantId, String customerId, Guard guard) {
    return tenant(tenantId).compose(tenant -> {
      if (tenant.isEmpty() || !tenant.get().reuse().accept()) {
        return Future.succeededFuture(Optional.empty());
      }
      int maxAge = tenant.get().reuse().maxAgeDays();
      return customers.fingerprint(tenantId, customerId).compose(fp -> fp.isEmpty()
          ? Future.succeededFuture(Optional.<Source>empty())
          : customers.reusable(fp.get(), tenantId, maxAge))
          .compose(source -> source.isEmpty()
              ? Future.succeededFuture(Optional.<StatusChangedEvent>empty())
              : grant(tenantId, customerId, source.get(), guard).map(Optional::of))
          .recover(err -> err instanceof StateConflictException
              ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(err));
    });
  }

  /** The follow-up {@code reuse.offer}: this verified verification completes waiting customers of the same person. */
  public Future<Void> offer(FollowUp followUp) {
    if (followUp.verificationIdOrNull() == null) {
      return Future.succeededFuture();
    }
    return customers.source(followUp.verificationIdOrNull()).compose(source -> {
      if (source.isEmpty()) {
        // Not (or no longer) a source: its tenant does not share, or it left verified meanwhile.
        return Future.succeededFuture();
      }
      Source s = source.get();
      return customers.pendingOfPerson(s.fingerprint(), s.tenantId()).compose(candidates -> Future.all(candidates.stream()
          .filter(c -> s.decidedAt().isAfter(Instant.now().minus(Duration.ofDays(c.maxAgeDays()))))
          .map(c -> grant(c.tenantId(), c.customerId(), s, Guard.PENDING).<Void>mapEmpty().recover(ReuseCoordinator::moved))
          .toList())).mapEmpty();
    });
  }

  /** The follow-up {@code reuse.revoke}: the customer left verified, so every reuse of its verifications expires. */
  public Future<Void> revoke(FollowUp followUp) {
    return customers.reusesOfCustomer(followUp.tenantId(), followUp.customerId()).compose(reuses -> Future.all(reuses.stream()
        .map(r -> door.decide(r.tenantId(), r.provider(), new StatusChange(
                new CanonicalUpdate(r.customerId(), SubjectKind.CUSTOMER, KycStatus.EXPIRED, DecidedBy.REUSE,
                    Reason.of(ReasonCode.OTHER, LAPSED), null),
                Guard.CURRENT_REUSE, r.verificationId(), null, false))
            .<Void>mapEmpty().recover(ReuseCoordinator::moved))
        .toList())).mapEmpty();
  }

  private Future<StatusChangedEvent> grant(String tenantId, String customerId, Source source, Guard guard) {
    UUID id = VerificationIds.next();
    return door.decide(tenantId, source.provider(), new StatusChange(
        new CanonicalUpdate(customerId, SubjectKind.CUSTOMER, KycStatus.VERIFIED, DecidedBy.REUSE, null, null),
        guard, null, new NewVerification(id, null, null, source.verificationId(), null), false));
  }

  /** The customer moved on meanwhile (no longer pending, no longer on that reuse): nothing to do. */
  private static Future<Void> moved(Throwable err) {
    return err instanceof StateConflictException ? Future.succeededFuture() : Future.failedFuture(err);
  }
}
