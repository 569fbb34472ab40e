package io.kychub.ingress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed webhook authentications per tenant and source address, for one event loop: a token
 * bucket each, refilled at the limit per second. A source over its limit gets 429 before its body
 * is read, while the tenant's real provider (another address) is not affected. At most {@code
 * maxBuckets} are kept; past that the least recently used goes (a forger who churns addresses
 * gains nothing it would not have with fresh addresses anyway).
 */
public final class AuthFailureLimiter {

  private final double perSecond;
  private final Map<String, TokenBucket> buckets;

  public AuthFailureLimiter(double perSecond, int maxBuckets) {
    this.perSecond = perSecond;
    this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
        return size() > maxBuckets;
      }
    };
  }

  /** False when this tenant and source have used up their failures: refuse before reading the body. */
  public boolean allows(String tenantId, String source, long nowNanos) {
    TokenBucket bucket = buckets.get(key(tenantId, source));
    return bucket == null || bucket.refill(nowNanos) >= 1;
  }

  /** Counts one failed authentication of this tenant and source. */
  public void failed(String tenantId, String source, long nowNanos) {
    buckets.computeIfAbsent(key(tenantId, source), k -> new TokenBucket(perSecond, nowNanos)).take(nowNanos);
  }

  /** Drops buckets that have refilled: they hold nothing a new bucket would not. */
  public void evictIdle(long nowNanos) {
    buckets.values().removeIf(b -> b.full(nowNanos));
  }

  /** Buckets held now (for tests). */
  public int size() {
    return buckets.size();
  }

  private static String key(String tenantId, String source) {
    return tenantId + ' ' + (source == null ? "" : source);
  }
}
