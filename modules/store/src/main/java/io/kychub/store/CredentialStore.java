package io.kychub.store;

import io.kychub.model.ProviderCredential;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Provider credentials per (tenant, provider); the whole document is sealed by {@link SecretBox}. */
public final class CredentialStore {

  private static final String COLUMNS = "tenant_id, provider, key_id, sealed, updated_at";

  private final Pool pool;
  private final SecretBox box;

  public CredentialStore(Pool pool, SecretBox box) {
    this.pool = pool;
    this.box = box;
  }

  /** Inserts or replaces the credential; answers it with the stored {@code updatedAt}. */
  public Future<ProviderCredential> put(ProviderCredential c) {
    SecretBox.Sealed sealed = box.seal(c.toSecretJson().toBuffer().getBytes());
    return pool.preparedQuery("INSERT INTO provider_credentials (tenant_id, provider, enabled, key_id, sealed)"
            + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, provider) DO UPDATE SET"
            + " enabled = EXCLUDED.enabled, key_id = EXCLUDED.key_id, sealed = EXCLUDED.sealed, updated_at = now()"
            + " RETURNING " + COLUMNS)
        .execute(Tuple.of(c.tenantId(), c.provider(), c.enabled(), sealed.keyId(), Buffer.buffer(sealed.blob())))
        .map(rows -> toCredential(rows.iterator().next()));
  }

  public Future<Optional<ProviderCredential>> find(String tenantId, String provider) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM provider_credentials WHERE tenant_id = $1 AND provider = $2")
        .execute(Tuple.of(tenantId, provider))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toCredential(rows.iterator().next())));
  }

  public Future<List<ProviderCredential>> list(String tenantId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM provider_credentials WHERE tenant_id = $1 ORDER BY provider")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          List<ProviderCredential> credentials = new ArrayList<>();
          rows.forEach(row -> credentials.add(toCredential(row)));
          return credentials;
        });
  }

  public Future<Boolean> delete(String tenantId, String provider) {
    return pool.preparedQuery("DELETE FROM provider_credentials WHERE tenant_id = $1 AND provider = $2")
        .execute(Tuple.of(tenantId, provider))
        .map(rows -> rows.rowCount() > 0);
  }

  private ProviderCredential toCredential(Row row) {
    byte[] plain = box.open(row.getString("key_id"), row.getBuffer("sealed").getBytes());
    return ProviderCredential.fromJson(
        row.getString("tenant_id"),
        row.getString("provider"),
        new JsonObject(Buffer.buffer(plain)),
        row.getOffsetDateTime("updated_at").toInstant());
  }
}
