package io.kychub.store;

import io.kychub.model.Hashing;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Operator API keys. A key is 32 random bytes, so a plain SHA-256 is the right storage: nothing
 * to brute-force, and the lookup by hash needs no constant-time comparison of secrets.
 */
public final class ApiKeyStore {

  static final String KEY_PREFIX = "kyc_";

  /** A new key: {@code key} is shown to the admin once and never stored. */
  public record CreatedApiKey(String id, String key) {
    @Override
    public String toString() {
      return "CreatedApiKey[" + id + "]";
    }
  }

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final Pool pool;
  private final SecureRandom random = new SecureRandom();

  public ApiKeyStore(Pool pool) {
    this.pool = pool;
  }

  public Future<CreatedApiKey> create(String tenantId, String label, String actor) {
    CreatedApiKey created = new CreatedApiKey("ak_" + randomToken(9), KEY_PREFIX + randomToken(32));
    return pool.preparedQuery("INSERT INTO api_keys (id, tenant_id, key_hash, label, created_by) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(created.id(), tenantId, Buffer.buffer(Hashing.sha256(created.key())), label, actor))
        .map(ignored -> created);
  }

  /** Revokes the key of this tenant (again is fine); false when the tenant has no such key. */
  public Future<Boolean> revoke(String tenantId, String keyId) {
    return pool.preparedQuery("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(keyId, tenantId))
        .map(rows -> rows.rowCount() > 0);
  }

  /** The tenant of a presented key, when the key exists, is not revoked and its tenant is enabled. */
  public Future<Optional<String>> tenantOf(String presentedKey) {
    if (presentedKey == null || !presentedKey.startsWith(KEY_PREFIX) || presentedKey.length() > 200) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("SELECT k.tenant_id FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
            + " WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND t.enabled")
        .execute(Tuple.of(Buffer.buffer(Hashing.sha256(presentedKey))))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  private String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return BASE64URL.encodeToString(b);
  }
}
