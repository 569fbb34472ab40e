package io.kychub.stream;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocks a test thread on a future, failing the test when it takes too long. */
final class Await {

  private Await() {}

  static <T> T result(Future<T> future) {
    return result(future, 10);
  }

  static <T> T result(Future<T> future, int seconds) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + seconds + " s", e);
    }
  }
}
