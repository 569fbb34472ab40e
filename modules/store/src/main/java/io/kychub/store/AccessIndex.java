package io.kychub.store;

import io.kychub.model.Addresses;
import io.kychub.model.CacheInvalidation;
import io.kychub.model.RecordCodec;
import io.kychub.store.ApiKeyStore.ApiKeyRef;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every tenant (and whether it is enabled) and every live API key, in memory on each node, so a
 * request for a tenant that does not exist or with a key that is not live is answered without a
 * query. Loaded at start; a tenant is read again when the admin API announces a change of it
 * ({@link CacheInvalidation}, on every node), and everything every {@code fullReloadMillis} in
 * case such a message was lost. Reloads run one after another on this verticle's context; lookups
 * read an immutable snapshot from any thread.
 */
public final class AccessIndex extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AccessIndex.class);

  private final TenantStore tenants;
  private final ApiKeyStore keys;
  private final long fullReloadMillis;
  private volatile Map<String, Boolean> enabledByTenant = Map.of();
  private volatile Map<String, ApiKeyRef> keysByHash = Map.of();
  private Future<Void> last = Future.succeededFuture();

  /** @param tenants and keys should use the small pool of credential lookups, not the reconciler's */
  public AccessIndex(TenantStore tenants, ApiKeyStore keys, long fullReloadMillis) {
    this.tenants = tenants;
    this.keys = keys;
    this.fullReloadMillis = fullReloadMillis;
  }

  @Override
  public Future<?> start() {
    RecordCodec.registerAll(vertx.eventBus());
    Future<Void> consumer = vertx.eventBus().<CacheInvalidation>consumer(Addresses.CACHE_INVALIDATE,
        m -> reload(m.body().tenantId())).completion();
    vertx.setPeriodic(fullReloadMillis, id -> reloadAll());
    return consumer.compose(v -> reloadAll());
  }

  /** True when a tenant of this id exists (enabled or not). */
  public boolean tenantExists(String tenantId) {
    return enabledByTenant.containsKey(tenantId);
  }

  public boolean tenantEnabled(String tenantId) {
    return Boolean.TRUE.equals(enabledByTenant.get(tenantId));
  }

  /** The live key with this hex SHA-256, when its tenant is enabled. */
  public Optional<ApiKeyRef> apiKey(String keyHashHex) {
    return Optional.ofNullable(keysByHash.get(keyHashHex));
  }

  /**
   * Reads the tenant again on this verticle's context, from any thread; completes when this
   * node's index has the change (the admin API waits for it, so a change it has answered holds on
   * the node that made it at once, and on the others a moment later).
   */
  public Future<Void> refresh(String tenantId) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> reload(tenantId).onComplete(done));
    return done.future();
  }

  /** Reads everything again (after the reloads already queued). */
  public Future<Void> reloadAll() {
    return queue(() -> Future.all(tenants.enabledFlags(), keys.live()).map(all -> {
      enabledByTenant = Map.copyOf(all.<Map<String, Boolean>>resultAt(0));
      keysByHash = Map.copyOf(all.<Map<String, ApiKeyRef>>resultAt(1));
      return null;
    }));
  }

  /** Reads one tenant and its keys again (after the reloads already queued). */
  public Future<Void> reload(String tenantId) {
    return queue(() -> Future.all(tenants.enabledFlag(tenantId), keys.liveOf(tenantId)).map(all -> {
      Map<String, Boolean> flags = new HashMap<>(enabledByTenant);
      flags.remove(tenantId);
      flags.putAll(all.<Map<String, Boolean>>resultAt(0));
      Map<String, ApiKeyRef> byHash = new HashMap<>(keysByHash);
      byHash.values().removeIf(k -> k.tenantId().equals(tenantId));
      byHash.putAll(all.<Map<String, ApiKeyRef>>resultAt(1));
      enabledByTenant = Map.copyOf(flags);
      keysByHash = Map.copyOf(byHash);
      return null;
    }));
  }

  private Future<Void> queue(Supplier<Future<Void>> reload) {
    Future<Void> next = last.transform(ignored -> reload.get())
        .onFailure(err -> LOG.warn("tenants and API keys not reloaded (the last copy stays): {}", err.getMessage()));
    last = next;
    return next;
  }
}
