package io.kychub.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;

/**
 * Idempotency keys of verification starts ({@code Idempotency-Key} on
 * {@code POST /v1/customers/{id}/verifications}), per tenant. The first request with a key claims
 * it; its answer is stored sealed (it may hold the provider's client secret) and replayed to later
 * requests with the same key until the key is {@code retention} old. A claim without an answer
 * older than {@code abandonAfter} (its node died during the provider call) may be taken over.
 */
public final class StartRequestStore {

  /** What a request with a key should do. */
  public sealed interface Claim {}

  /** This request owns the key: run the start, then {@link #complete} or {@link #release}. */
  public record Owned() implements Claim {}

  /** An earlier request with this key succeeded: answer with its stored body. */
  public record Replay(JsonObject answer) implements Claim {}

  /** An earlier request with this key is still running. */
  public record InProgress() implements Claim {}

  /** The key was used for another customer or provider. */
  public record Mismatch() implements Claim {}

  static final String CLAIM =
      "INSERT INTO start_requests (tenant_id, idempotency_key, customer_id, provider) VALUES ($1, $2, $3, $4) "
          + "ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET customer_id = EXCLUDED.customer_id, "
          + "provider = EXCLUDED.provider, key_id = NULL, response = NULL, created_at = now() "
          + "WHERE start_requests.created_at < now() - make_interval(secs => $5) "
          + "OR (start_requests.response IS NULL AND start_requests.created_at < now() - make_interval(secs => $6)) "
          + "RETURNING 1";
  static final String READ =
      "SELECT customer_id, provider, key_id, response FROM start_requests WHERE tenant_id = $1 AND idempotency_key = $2";

  private final Pool pool;
  private final SecretBox box;
  private final Duration retention;
  private final Duration abandonAfter;

  public StartRequestStore(Pool pool, SecretBox box, Duration retention, Duration abandonAfter) {
    this.pool = pool;
    this.box = box;
    this.retention = retention;
    this.abandonAfter = abandonAfter;
  }

  /** Claims {@code key} for a start of {@code provider} for {@code customerId}, or says why not. */
  public Future<Claim> claim(String tenantId, String key, String customerId, String provider) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(tenantId, key, customerId, provider, (double) retention.toSeconds(),
            (double) abandonAfter.toSeconds()))
        .compose(rows -> rows.rowCount() > 0
            ? Future.succeededFuture(new Owned())
            : pool.preparedQuery(READ).execute(Tuple.of(tenantId, key)).map(found -> {
              if (found.size() == 0) {
                return new InProgress(); // released by its owner a moment ago: the retry may run again
              }
              Row row = found.iterator().next();
              if (!row.getString(0).equals(customerId) || !row.getString(1).equals(provider)) {
                return new Mismatch();
              }
              Buffer sealed = row.getBuffer(3);
              if (sealed == null) {
                return new InProgress();
              }
              return new Replay(new JsonObject(Buffer.buffer(box.open(row.getString(2), sealed.getBytes()))));
            }));
  }

  /** Stores the answer of the request that owns {@code key}. */
  public Future<Void> complete(String tenantId, String key, JsonObject answer) {
    SecretBox.Sealed sealed = box.seal(answer.toBuffer().getBytes());
    return pool.preparedQuery("UPDATE start_requests SET key_id = $3, response = $4 WHERE tenant_id = $1 AND idempotency_key = $2")
        .execute(Tuple.of(tenantId, key, sealed.keyId(), Buffer.buffer(sealed.blob())))
        .mapEmpty();
  }

  /** Gives up the claim of a request that did not succeed, so a retry with the key runs again. */
  public Future<Void> release(String tenantId, String key) {
    return pool.preparedQuery("DELETE FROM start_requests WHERE tenant_id = $1 AND idempotency_key = $2 AND response IS NULL")
        .execute(Tuple.of(tenantId, key))
        .mapEmpty();
  }

  /** Deletes this tenant's keys past their retention; returns how many. */
  public Future<Integer> purge(String tenantId) {
    return pool.preparedQuery("DELETE FROM start_requests WHERE tenant_id = $1 AND created_at < now() - make_interval(secs => $2)")
        .execute(Tuple.of(tenantId, (double) retention.toSeconds()))
        .map(rows -> rows.rowCount());
  }
}
