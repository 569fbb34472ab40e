package io.kychub.simulator;

import java.util.concurrent.atomic.AtomicInteger;

/** Failures the simulator's API is told to show, for the clients' retry tests. */
final class Faults {

  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger stalls = new AtomicInteger();
  private volatile int failStatus;
  private volatile int refuseStatus;
  private volatile long stallMillis;

  void failNext(int times, int status) {
    failStatus = status;
    failures.set(times);
  }

  void refuseAll(int status) {
    refuseStatus = status;
  }

  void stallNext(int times, long millis) {
    stallMillis = millis;
    stalls.set(times);
  }

  void clear() {
    failures.set(0);
    stalls.set(0);
    refuseStatus = 0;
  }

  /** The status this request must get instead of an answer, or 0. */
  int statusForNext() {
    if (refuseStatus != 0) {
      return refuseStatus;
    }
    return failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? failStatus : 0;
  }

  /** How long this request waits before it is served, 0 for not at all. */
  long stallForNext() {
    return stalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? stallMillis : 0;
  }
}
