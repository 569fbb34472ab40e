package io.kychub.ingress;

import java.util.HashMap;
import java.util.Map;

/**
 * A token bucket per tenant (capacity one second's worth), for one event loop. Each listener
 * instance gets its share of the node's limit, so no lock is needed on the hot path.
 */
public final class TenantRateLimiter {

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long lastNanos) {
      this.tokens = tokens;
      this.lastNanos = lastNanos;
    }
  }

  private final double perSecond;
  private final Map<String, Bucket> buckets = new HashMap<>();

  public TenantRateLimiter(double perSecond) {
    this.perSecond = perSecond;
  }

  /** Takes one token for the tenant at {@code nowNanos}; false when the tenant is over its rate. */
  public boolean tryAcquire(String tenantId, long nowNanos) {
    Bucket bucket = buckets.computeIfAbsent(tenantId, k -> new Bucket(perSecond, nowNanos));
    double elapsedSeconds = (nowNanos - bucket.lastNanos) / 1e9;
    bucket.tokens = Math.min(perSecond, bucket.tokens + elapsedSeconds * perSecond);
    bucket.lastNanos = nowNanos;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    return false;
  }
}
