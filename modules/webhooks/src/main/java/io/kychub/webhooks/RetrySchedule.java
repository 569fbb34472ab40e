package io.kychub.webhooks;

/**
 * When an undelivered event is tried again: after about 5 s, 30 s, 2 min, 10 min, 1 h, 6 h and
 * 24 h (each scaled by {@code scale}, for tests), then it is failed. Eight attempts in all.
 */
public final class RetrySchedule {

  static final long[] DELAYS_MILLIS = {5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000, 86_400_000};

  private final double scale;

  public RetrySchedule(double scale) {
    this.scale = scale;
  }

  /** The wait after failed attempt {@code attempt} (1 = the first), or null when it was the last. */
  public Long afterAttempt(int attempt) {
    if (attempt < 1 || attempt > DELAYS_MILLIS.length) {
      return null;
    }
    return Math.max(1L, Math.round(DELAYS_MILLIS[attempt - 1] * scale));
  }

  public static int maxAttempts() {
    return DELAYS_MILLIS.length + 1;
  }
}
