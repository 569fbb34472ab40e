package io.kychub.ingress;

import java.util.HashMap;
import java.util.Map;

/**
 * A token bucket per tenant (capacity one second's worth), for one event loop. Each listener
 * instance gets its share of the node's limit, so no lock is needed on the hot path. Only
 * authenticated deliveries take a token, so only tenants that exist get a bucket, and a bucket
 * that has refilled is dropped by {@link #evictIdle}: memory follows the active tenants.
 */
public final class TenantRateLimiter {

  private final double perSecond;
  private final Map<String, TokenBucket> buckets = new HashMap<>();

  public TenantRateLimiter(double perSecond) {
    this.perSecond = perSecond;
  }

  /** Takes one token for the tenant at {@code nowNanos}; false when the tenant is over its rate. */
  public boolean tryAcquire(String tenantId, long nowNanos) {
    return buckets.computeIfAbsent(tenantId, k -> new TokenBucket(perSecond, nowNanos)).tryTake(nowNanos);
  }

  /** Drops the buckets that are full again: a new one would start the same. */
  public void evictIdle(long nowNanos) {
    buckets.values().removeIf(b -> b.full(nowNanos));
  }

  /** Buckets held now (for tests). */
  public int size() {
    return buckets.size();
  }
}
