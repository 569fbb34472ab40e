package io.kychub.api;

import io.kychub.model.Hashing;
import io.kychub.store.CustomerStore;
import io.kychub.stream.StreamScope;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * One customer's browser credential for its own event stream: random, valid 24 h, stored as a
 * SHA-256 hash (like API keys), never able to read another customer's events.
 */
public final class ClientSecrets {

  /** A freshly issued secret: shown once. */
  public record Issued(String secret, Instant expiresAt) {
    @Override
    public String toString() {
      return "Issued[expiresAt=" + expiresAt + "]";
    }
  }

  static final Duration LIFETIME = Duration.ofHours(24);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CustomerStore customers;

  public ClientSecrets(CustomerStore customers) {
    this.customers = customers;
  }

  public Future<Issued> issue(String tenantId, String customerId) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String secret = "cs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Instant expiresAt = Instant.now().plus(LIFETIME);
    return customers.putClientSecret(Hashing.sha256(secret), tenantId, customerId, expiresAt).map(new Issued(secret, expiresAt));
  }

  /** The one-customer scope of a live secret, or empty. */
  public Future<Optional<StreamScope>> scope(String secret) {
    return customers.clientSecretScope(Hashing.sha256(secret))
        .map(ref -> ref.map(r -> StreamScope.customer(r.tenantId(), r.customerId())));
  }
}
