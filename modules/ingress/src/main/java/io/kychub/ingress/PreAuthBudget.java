package io.kychub.ingress;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of webhook bodies a node holds before they are authenticated, shared by all its
 * listener instances: anyone can send a body, so together they may not take more than the limit.
 * Bytes are reserved as they arrive (never from a declared length) and released once the body is
 * authenticated, refused or abandoned.
 */
public final class PreAuthBudget {

  private final long limit;
  private final AtomicLong held = new AtomicLong();

  public PreAuthBudget(long limitBytes, MeterRegistry registry) {
    this.limit = limitBytes;
    Gauge.builder("kyc.ingress.unauthenticated.bytes", held, AtomicLong::get)
        .description("bytes of webhook bodies held before authentication, on this node")
        .baseUnit("bytes").register(registry);
  }

  /** Takes {@code bytes} from the budget; false (and nothing taken) when that would pass the limit. */
  public boolean tryReserve(long bytes) {
    long now;
    do {
      now = held.get();
      if (now + bytes > limit) {
        return false;
      }
    } while (!held.compareAndSet(now, now + bytes));
    return true;
  }

  public void release(long bytes) {
    held.addAndGet(-bytes);
  }

  /** Bytes held now (for tests and the gauge). */
  public long held() {
    return held.get();
  }
}
