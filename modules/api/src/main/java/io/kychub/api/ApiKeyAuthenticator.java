package io.kychub.api;

import io.kychub.model.Addresses;
import io.kychub.model.CacheInvalidation;
import io.kychub.model.FutureCache;
import io.kychub.model.Hashing;
import io.kychub.store.AccessIndex;
import io.kychub.store.ApiKeyStore;
import io.kychub.store.ApiKeyStore.ApiKeyRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * Resolves {@code Authorization: Bearer <api key>} to the key and its tenant, for one event loop.
 * The node's {@link AccessIndex} holds every live key, so a known key costs no query and an
 * unknown one is refused in memory when it lacks the hub's tag (a guess). Only a tagged key that
 * is not in the index yet (created on another node a moment ago, or revoked) is looked up, and the
 * answer is kept until the tenant changes or {@code ttlMillis} pass.
 */
public final class ApiKeyAuthenticator {

  private final AccessIndex index;
  private final ApiKeyStore keys;
  private final FutureCache<String, Optional<ApiKeyRef>> lookups;
  private MessageConsumer<CacheInvalidation> invalidations;

  /** @param keys on the pool of credential lookups */
  public ApiKeyAuthenticator(AccessIndex index, ApiKeyStore keys, long ttlMillis) {
    this.index = index;
    this.keys = keys;
    this.lookups = FutureCache.perEventLoop(ttlMillis, 10_000);
  }

  /** Listens for tenant changes; call from the owning verticle's start. */
  public Future<Void> start(Vertx vertx) {
    invalidations = vertx.eventBus().consumer(Addresses.CACHE_INVALIDATE, m -> forget(m.body().tenantId()));
    return invalidations.completion();
  }

  public Future<Void> stop() {
    return invalidations == null ? Future.succeededFuture() : invalidations.unregister();
  }

  /** Looked-up keys of the tenant, and every unknown answer (a re-enabled tenant makes them valid). */
  private void forget(String tenantId) {
    lookups.removeIf((hash, key) -> !key.isComplete() || key.failed()
        || key.result().map(k -> k.tenantId().equals(tenantId)).orElse(true));
  }

  /** The request's live API key, or empty for a missing, unknown or revoked key or a disabled tenant. */
  public Future<Optional<ApiKeyRef>> keyOf(HttpServerRequest request) {
    String key = bearer(request.getHeader("authorization"));
    if (key == null) {
      return Future.succeededFuture(Optional.empty());
    }
    String hash = Hashing.sha256Hex(key);
    Optional<ApiKeyRef> indexed = index.apiKey(hash);
    if (indexed.isPresent()) {
      return Future.succeededFuture(indexed);
    }
    if (!keys.issuedHere(key)) {
      return Future.succeededFuture(Optional.empty());
    }
    return lookups.get(hash, h -> keys.find(Hashing.sha256(key)));
  }

  /** Whether the key with this hex SHA-256 is still live, from memory: the index, or a lookup kept here. */
  public boolean stillLive(String tenantId, String keyHashHex) {
    if (!index.tenantEnabled(tenantId)) {
      return false;
    }
    if (index.apiKey(keyHashHex).isPresent()) {
      return true;
    }
    Future<Optional<ApiKeyRef>> looked = lookups.peek(keyHashHex);
    return looked != null && looked.succeeded() && looked.result().isPresent();
  }

  static String bearer(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String key = header.substring(7).trim();
    return key.isEmpty() || key.length() > 200 ? null : key;
  }
}
