package io.kychub.store;

import io.kychub.model.Hashing;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Operator API keys. A key is 32 random bytes (and a tag, see {@link CredentialTags}), so a plain
 * SHA-256 is the right storage: nothing to brute-force, and the lookup by hash needs no
 * constant-time comparison of secrets.
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

  /** A live key: its id and its tenant (never the key). */
  public record ApiKeyRef(String keyId, String tenantId) {}

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final String LIVE = "SELECT k.key_hash, k.id, k.tenant_id FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
      + " WHERE k.revoked_at IS NULL AND t.enabled";

  private final Pool pool;
  private final CredentialTags tags;
  private final SecureRandom random = new SecureRandom();

  /** @param tags makes new keys carry a tag, so a guessed key is refused without a query */
  public ApiKeyStore(Pool pool, CredentialTags tags) {
    this.pool = pool;
    this.tags = tags;
  }

  public static String prefix() {
    return KEY_PREFIX;
  }

  public Future<CreatedApiKey> create(String tenantId, String label, String actor) {
    CreatedApiKey created = new CreatedApiKey("ak_" + randomToken(9), tags.issue(KEY_PREFIX));
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

  /** Every key that is not revoked and whose tenant is enabled, by the hex SHA-256 of the key. */
  public Future<Map<String, ApiKeyRef>> live() {
    return pool.preparedQuery(LIVE).execute().map(ApiKeyStore::byHash);
  }

  /** The live keys of one tenant (none when it is disabled or unknown), by the hex SHA-256 of the key. */
  public Future<Map<String, ApiKeyRef>> liveOf(String tenantId) {
    return pool.preparedQuery(LIVE + " AND k.tenant_id = $1").execute(Tuple.of(tenantId)).map(ApiKeyStore::byHash);
  }

  /** The key with this SHA-256, when it is live. */
  public Future<Optional<ApiKeyRef>> find(byte[] keyHash) {
    return pool.preparedQuery(LIVE + " AND k.key_hash = $1").execute(Tuple.of(Buffer.buffer(keyHash)))
        .map(rows -> byHash(rows).values().stream().findFirst());
  }

  /** True when {@code presented} has the shape and tag of a key this hub issued (no query). */
  public boolean issuedHere(String presented) {
    return tags.valid(KEY_PREFIX, presented);
  }

  private static Map<String, ApiKeyRef> byHash(Iterable<Row> rows) {
    Map<String, ApiKeyRef> keys = new HashMap<>();
    for (Row r : rows) {
      keys.put(HexFormat.of().formatHex(r.getBuffer(0).getBytes()), new ApiKeyRef(r.getString(1), r.getString(2)));
    }
    return keys;
  }

  private String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return BASE64URL.encodeToString(b);
  }
}
