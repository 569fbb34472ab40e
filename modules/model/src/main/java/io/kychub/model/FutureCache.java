package io.kychub.model;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A small cache of lookups that answer with a Vert.x {@link Future}: tenants, credentials, API
 * keys. An entry is the lookup's future itself, so concurrent requests for the same key share one
 * query; a failed lookup is not kept; an entry older than the time limit is loaded again. The
 * time limit only bounds staleness: the owners drop entries at once when the admin API announces a
 * change ({@link CacheInvalidation}). Past {@code maxEntries} the cache starts over.
 *
 * <p>{@link #perEventLoop} is for one event loop (a plain map, no locks, as on the webhook path);
 * {@link #shared} may be used from several threads (two threads may then load the same key
 * twice, which costs a query and nothing else).
 */
public final class FutureCache<K, V> {

  private record Entry<V>(Future<V> value, long loadedAt) {}

  private final Map<K, Entry<V>> entries;
  private final long ttlMillis;
  private final int maxEntries;
  private final LongSupplier clock;

  private FutureCache(Map<K, Entry<V>> entries, long ttlMillis, int maxEntries, LongSupplier clock) {
    this.entries = entries;
    this.ttlMillis = ttlMillis;
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  public static <K, V> FutureCache<K, V> perEventLoop(long ttlMillis, int maxEntries) {
    return perEventLoop(ttlMillis, maxEntries, System::currentTimeMillis);
  }

  /** With a clock of its own (milliseconds), for tests. */
  public static <K, V> FutureCache<K, V> perEventLoop(long ttlMillis, int maxEntries, LongSupplier clock) {
    return new FutureCache<>(new HashMap<>(), ttlMillis, maxEntries, clock);
  }

  public static <K, V> FutureCache<K, V> shared(long ttlMillis, int maxEntries) {
    return new FutureCache<>(new ConcurrentHashMap<>(), ttlMillis, maxEntries, System::currentTimeMillis);
  }

  /** The cached answer for {@code key}, or the loader's, which is then cached. */
  public Future<V> get(K key, Function<? super K, Future<V>> loader) {
    long now = clock.getAsLong();
    Entry<V> entry = entries.get(key);
    if (entry != null && now - entry.loadedAt() < ttlMillis && !entry.value().failed()) {
      return entry.value();
    }
    if (entries.size() >= maxEntries) {
      entries.clear();
    }
    Future<V> loaded = loader.apply(key);
    entries.put(key, new Entry<>(loaded, now));
    return loaded;
  }

  /** The cached answer for {@code key} if there is one that has not expired, without loading. */
  public Future<V> peek(K key) {
    Entry<V> entry = entries.get(key);
    return entry != null && clock.getAsLong() - entry.loadedAt() < ttlMillis ? entry.value() : null;
  }

  public void remove(K key) {
    entries.remove(key);
  }

  /** Drops every entry whose key and answer (possibly still loading) match. */
  public void removeIf(BiPredicate<? super K, ? super Future<V>> filter) {
    entries.entrySet().removeIf(e -> filter.test(e.getKey(), e.getValue().value()));
  }
}
