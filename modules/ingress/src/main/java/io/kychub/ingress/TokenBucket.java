package io.kychub.ingress;

/** One token bucket of the ingress limiters: capacity one second's worth, refilled at the rate per second. */
final class TokenBucket {

  private final double perSecond;
  private double tokens;
  private long lastNanos;

  TokenBucket(double perSecond, long nowNanos) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
    this.lastNanos = nowNanos;
  }

  /** The tokens there are at {@code nowNanos}, refilled since the last call. */
  double refill(long nowNanos) {
    tokens = available(nowNanos);
    lastNanos = nowNanos;
    return tokens;
  }

  /** Takes a token if there is one. */
  boolean tryTake(long nowNanos) {
    if (refill(nowNanos) >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Takes a token, or nothing when there is none left. */
  void take(long nowNanos) {
    tokens = Math.max(0, refill(nowNanos) - 1);
  }

  /** True when the bucket is full again at {@code nowNanos}: a new bucket would hold the same. */
  boolean full(long nowNanos) {
    return available(nowNanos) >= perSecond;
  }

  private double available(long nowNanos) {
    return Math.min(perSecond, tokens + (nowNanos - lastNanos) / 1e9 * perSecond);
  }
}
