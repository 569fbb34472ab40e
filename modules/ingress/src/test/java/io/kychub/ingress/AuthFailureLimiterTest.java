package io.kychub.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthFailureLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aSourceThatFailsTooOftenIsRefusedWhileAnotherSourceIsNot() {
    AuthFailureLimiter limiter = new AuthFailureLimiter(5, 100);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.allows("acme", "10.0.0.1", 0)).isTrue();
      limiter.failed("acme", "10.0.0.1", 0);
    }
    assertThat(limiter.allows("acme", "10.0.0.1", 0)).isFalse();
    assertThat(limiter.allows("acme", "10.0.0.2", 0)).as("another address").isTrue();
    assertThat(limiter.allows("globex", "10.0.0.1", 0)).as("the same address at another tenant").isTrue();
  }

  @Test
  void failuresAreForgivenAtTheLimitPerSecond() {
    AuthFailureLimiter limiter = new AuthFailureLimiter(5, 100);
    for (int i = 0; i < 5; i++) {
      limiter.failed("acme", "10.0.0.1", 0);
    }
    assertThat(limiter.allows("acme", "10.0.0.1", SECOND / 10)).isFalse();
    assertThat(limiter.allows("acme", "10.0.0.1", SECOND / 4)).as("one failure forgiven after 0.2 s").isTrue();
  }

  @Test
  void memoryIsBoundedAndRefilledBucketsGo() {
    AuthFailureLimiter limiter = new AuthFailureLimiter(5, 100);
    for (int i = 0; i < 1000; i++) {
      limiter.failed("acme", "10.0." + (i / 250) + "." + (i % 250), 0);
    }
    assertThat(limiter.size()).isEqualTo(100);
    limiter.failed("acme", "10.9.9.9", 5 * SECOND);
    limiter.evictIdle(2 * SECOND);
    assertThat(limiter.size()).as("only the bucket that has not refilled stays").isEqualTo(1);
    assertThat(limiter.allows("acme", "10.0.0.1", 2 * SECOND)).isTrue();
  }
}
