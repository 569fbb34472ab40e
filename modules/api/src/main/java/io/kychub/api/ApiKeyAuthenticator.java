package io.kychub.api;

import io.kychub.model.Addresses;
import io.kychub.model.CacheInvalidation;
import io.kychub.model.FutureCache;
import io.kychub.model.Hashing;
import io.kychub.store.ApiKeyStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * Resolves {@code Authorization: Bearer <api key>} to the key's tenant. Answers are cached per
 * event loop for a few seconds (by the key's hash, never the key); a tenant's entries are dropped
 * at once when the admin API announces a change of the tenant (a revoked key, a disabled tenant),
 * and the time limit bounds staleness should that message be lost.
 */
public final class ApiKeyAuthenticator {

  private final ApiKeyStore keys;
  private final FutureCache<String, Optional<String>> cache;
  private MessageConsumer<CacheInvalidation> invalidations;

  public ApiKeyAuthenticator(ApiKeyStore keys, long ttlMillis) {
    this.keys = keys;
    this.cache = FutureCache.perEventLoop(ttlMillis, 10_000);
  }

  /** Listens for tenant changes; call from the owning verticle's start. */
  public Future<Void> start(Vertx vertx) {
    invalidations = vertx.eventBus().consumer(Addresses.CACHE_INVALIDATE, m -> forget(m.body().tenantId()));
    return invalidations.completion();
  }

  public Future<Void> stop() {
    return invalidations == null ? Future.succeededFuture() : invalidations.unregister();
  }

  private void forget(String tenantId) {
    cache.removeIf((hash, tenant) -> !tenant.isComplete() || tenant.failed()
        || tenant.result().map(tenantId::equals).orElse(true));
  }

  /** The tenant of the request's API key, or empty for a missing, unknown or revoked key. */
  public Future<Optional<String>> tenantOf(HttpServerRequest request) {
    String key = bearer(request.getHeader("authorization"));
    if (key == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return cache.get(Hashing.sha256Hex(key), hash -> keys.tenantOf(key));
  }

  static String bearer(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String key = header.substring(7).trim();
    return key.isEmpty() ? null : key;
  }
}
