package io.kychub.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TenantRateLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aTenantGetsOneSecondsWorthThenItsRate() {
    TenantRateLimiter limiter = new TenantRateLimiter(10);
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.tryAcquire("acme", 0)).isTrue();
    }
    assertThat(limiter.tryAcquire("acme", 0)).isFalse();
    assertThat(limiter.tryAcquire("globex", 0)).isTrue();
    assertThat(limiter.tryAcquire("acme", SECOND / 10)).isTrue();
    assertThat(limiter.tryAcquire("acme", SECOND / 10)).isFalse();
  }

  @Test
  void bucketsThatHaveRefilledAreDropped() {
    TenantRateLimiter limiter = new TenantRateLimiter(10);
    for (int i = 0; i < 50; i++) {
      limiter.tryAcquire("tenant-" + i, 0);
    }
    for (int i = 0; i < 10; i++) {
      limiter.tryAcquire("busy", SECOND);
    }
    limiter.evictIdle(SECOND);
    assertThat(limiter.size()).as("only the tenant still spending its budget").isEqualTo(1);
  }
}
