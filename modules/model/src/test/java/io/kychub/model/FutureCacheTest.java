package io.kychub.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FutureCacheTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicInteger loads = new AtomicInteger();
  private final FutureCache<String, String> cache = FutureCache.perEventLoop(100, 3, now::get);

  private Future<String> load(String key) {
    loads.incrementAndGet();
    return Future.succeededFuture(key + "#" + loads.get());
  }

  @Test
  void answersFromTheCacheUntilTheTimeLimitThenLoadsAgain() {
    assertThat(cache.get("a", this::load).result()).isEqualTo("a#1");
    now.addAndGet(99);
    assertThat(cache.get("a", this::load).result()).isEqualTo("a#1");
    now.addAndGet(1);
    assertThat(cache.get("a", this::load).result()).isEqualTo("a#2");
    assertThat(loads).hasValue(2);
  }

  @Test
  void requestsWhileALoadIsRunningShareIt() {
    Promise<String> pending = Promise.promise();
    Future<String> first = cache.get("a", k -> {
      loads.incrementAndGet();
      return pending.future();
    });
    Future<String> second = cache.get("a", this::load);
    assertThat(second).isSameAs(first);
    pending.complete("done");
    assertThat(second.result()).isEqualTo("done");
    assertThat(loads).hasValue(1);
  }

  @Test
  void aFailedLookupIsNotKept() {
    cache.get("a", k -> {
      loads.incrementAndGet();
      return Future.failedFuture("database down");
    });
    assertThat(cache.get("a", this::load).result()).isEqualTo("a#2");
  }

  @Test
  void removedEntriesAreLoadedAgain() {
    cache.get("t1/ripio", this::load);
    cache.get("t1/ondato", this::load);
    cache.get("t2/ripio", this::load);
    cache.removeIf((key, value) -> key.startsWith("t1/"));
    cache.remove("t2/ripio");
    assertThat(cache.get("t1/ripio", this::load).result()).isEqualTo("t1/ripio#4");
    assertThat(cache.get("t2/ripio", this::load).result()).isEqualTo("t2/ripio#5");
  }

  @Test
  void startsOverPastItsSize() {
    cache.get("a", this::load);
    cache.get("b", this::load);
    cache.get("c", this::load);
    cache.get("d", this::load);
    assertThat(cache.get("d", this::load).result()).isEqualTo("d#4");
    assertThat(cache.get("a", this::load).result()).isEqualTo("a#5");
  }
}
