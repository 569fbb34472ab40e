package io.kychub.api;

import io.kychub.model.Addresses;
import io.kychub.model.CacheInvalidation;
import io.kychub.model.FutureCache;
import io.kychub.model.Hashing;
import io.kychub.store.AccessIndex;
import io.kychub.store.CredentialTags;
import io.kychub.store.CustomerStore;
import io.kychub.store.CustomerStore.SecretGrant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One customer's browser credential for its own event stream: random with the hub's tag, valid
 * 24 h, stored as a SHA-256 hash (like API keys), never able to read another customer's events.
 * A secret without the tag (a guess) is refused in memory; a tagged one is looked up once and the
 * answer, found or not, kept per event loop until the tenant changes or the time limit passes.
 */
public final class ClientSecrets {

  /** A freshly issued secret: shown once. */
  public record Issued(String secret, Instant expiresAt) {
    @Override
    public String toString() {
      return "Issued[expiresAt=" + expiresAt + "]";
    }
  }

  static final String PREFIX = "cs_";
  static final Duration LIFETIME = Duration.ofHours(24);

  private final CustomerStore customers;
  private final CredentialTags tags;
  private final AccessIndex index;
  private final FutureCache<String, Optional<SecretGrant>> lookups;
  private MessageConsumer<CacheInvalidation> invalidations;

  /** @param customers on the pool of credential lookups */
  public ClientSecrets(CustomerStore customers, CredentialTags tags, AccessIndex index, long ttlMillis) {
    this.customers = customers;
    this.tags = tags;
    this.index = index;
    this.lookups = FutureCache.perEventLoop(ttlMillis, 10_000);
  }

  /** Listens for tenant changes; call from the owning verticle's start. */
  public Future<Void> start(Vertx vertx) {
    invalidations = vertx.eventBus().consumer(Addresses.CACHE_INVALIDATE, m -> {
      String tenant = m.body().tenantId();
      lookups.removeIf((hash, grant) -> !grant.isComplete() || grant.failed()
          || grant.result().map(g -> g.tenantId().equals(tenant)).orElse(true));
    });
    return invalidations.completion();
  }

  public Future<Void> stop() {
    return invalidations == null ? Future.succeededFuture() : invalidations.unregister();
  }

  public Future<Issued> issue(String tenantId, String customerId) {
    String secret = tags.issue(PREFIX);
    Instant expiresAt = Instant.now().plus(LIFETIME);
    return customers.putClientSecret(Hashing.sha256(secret), tenantId, customerId, expiresAt).map(new Issued(secret, expiresAt));
  }

  /** What a live secret grants (its tenant enabled), or empty. */
  public Future<Optional<SecretGrant>> grant(String secret) {
    if (!tags.valid(PREFIX, secret)) {
      return Future.succeededFuture(Optional.empty());
    }
    Instant now = Instant.now();
    return lookups.get(Hashing.sha256Hex(secret), hash -> customers.clientSecret(Hashing.sha256(secret)))
        .map(found -> found.filter(g -> g.expiresAt().isAfter(now) && index.tenantEnabled(g.tenantId())));
  }

  /** Whether a grant still holds at {@code now}: not expired and its tenant enabled. */
  public boolean holds(String tenantId, Instant expiresAt, Instant now) {
    return now.isBefore(expiresAt) && index.tenantEnabled(tenantId);
  }
}
