package io.kychub.ingress;

import io.kychub.model.Addresses;
import io.kychub.model.CacheInvalidation;
import io.kychub.model.FutureCache;
import io.kychub.model.ProviderCredential;
import io.kychub.model.Tenant;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.ProviderRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Tenants and their provider credentials, cached per event loop (no locks) for every webhook.
 * A tenant id the node's index of tenants does not know costs no query and takes no cache entry,
 * so made-up tenant ids hold nothing. Admin changes publish a {@link CacheInvalidation} that drops
 * the entry on every node at once; the time limit only bounds staleness should such a message
 * ever be lost.
 */
public final class TenantDirectory {

  /** Where the directory loads from (the stores, in production). */
  public interface Source {
    Future<Optional<Tenant>> tenant(String tenantId);

    Future<Optional<ProviderCredential>> credential(String tenantId, String provider);
  }

  /**
   * An enabled tenant with an enabled credential for the provider, and that credential's webhook
   * authentication with the provider's defaults applied (resolved once per load, not per webhook).
   */
  public record Target(Tenant tenant, ProviderCredential credential, WebhookAuthConfig auth) {}

  private final Vertx vertx;
  private final Source source;
  private final Predicate<String> tenantExists;
  private final ProviderRegistry providers;
  private static final Future<Optional<Target>> NONE = Future.succeededFuture(Optional.empty());
  private final FutureCache<String, Optional<Target>> cache;
  private MessageConsumer<CacheInvalidation> invalidations;

  /** @param tenantExists the node's in-memory index of tenants: false means no such tenant, without a query */
  public TenantDirectory(Vertx vertx, Source source, Predicate<String> tenantExists, ProviderRegistry providers,
      long ttlMillis) {
    this.vertx = vertx;
    this.source = source;
    this.tenantExists = tenantExists;
    this.providers = providers;
    this.cache = FutureCache.perEventLoop(ttlMillis, 100_000);
  }

  /** Starts listening for invalidations; call from the owning verticle's start. */
  public Future<Void> start() {
    invalidations = vertx.eventBus().consumer(Addresses.CACHE_INVALIDATE, m -> invalidate(m.body()));
    return invalidations.completion();
  }

  public Future<Void> stop() {
    return invalidations == null ? Future.succeededFuture() : invalidations.unregister();
  }

  /** The webhook target, or empty when the tenant or its credential is unknown or disabled. */
  public Future<Optional<Target>> find(String tenantId, String provider) {
    if (!tenantExists.test(tenantId)) {
      return NONE;
    }
    return cache.get(tenantId + '/' + provider, key -> load(tenantId, provider));
  }

  private Future<Optional<Target>> load(String tenantId, String provider) {
    return source.tenant(tenantId).compose(tenant -> {
      if (tenant.isEmpty() || !tenant.get().enabled()) {
        return Future.succeededFuture(Optional.<Target>empty());
      }
      return source.credential(tenantId, provider).map(credential -> credential
          .filter(ProviderCredential::enabled)
          .flatMap(c -> providers.find(provider)
              .map(adapter -> new Target(tenant.get(), c, c.webhookAuth().withDefaults(adapter.defaultAuth())))));
    });
  }

  private void invalidate(CacheInvalidation change) {
    if (change.provider() == null) {
      cache.removeIf((k, target) -> k.startsWith(change.tenantId() + '/'));
    } else {
      cache.remove(change.tenantId() + '/' + change.provider());
    }
  }
}
