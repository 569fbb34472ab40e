package io.kychub.store;

import io.kychub.model.Hashing;
import io.kychub.model.InboundDelivery;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable delivery inbox. {@link #append} group-commits: while a batch insert is in flight,
 * new deliveries queue up and go together in the next statement, so under load one commit
 * acknowledges many webhooks and at low load nothing waits for a timer. One instance per event
 * loop (it is not thread-safe, and needs no lock that way).
 */
public final class InboxStore {

  /** A webhook to store. {@code headers} holds only harmless headers, never credentials. */
  public record Entry(String tenantId, String provider, String idempotencyKey, Instant receivedAt, JsonObject headers,
      byte[] body) {
    String dedupKey() {
      return tenantId + '\u0000' + provider + '\u0000' + idempotencyKey;
    }
  }

  /** The outcome of storing: the new row's id, or {@code duplicate} when the key was seen before. */
  public record Stored(long id, boolean duplicate) {}

  private record Pending(Entry entry, Promise<Stored> promise) {}

  private static final String INSERT =
      "INSERT INTO inbox (tenant_id, provider, idempotency_key, received_at, headers, body, key_digest) "
          + "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]::jsonb[], $6::bytea[], "
          + "$7::bytea[]) ON CONFLICT (key_digest) DO NOTHING "
          + "RETURNING id, tenant_id, provider, idempotency_key";

  /**
   * The sweep's claim. The candidates are picked once ({@code = ANY(ARRAY(...))}, an init plan):
   * as {@code IN (...)}, without hash joins the planner may run the locking subquery again for
   * every row it returns, each time reading past the index entries of applied deliveries
   * (measured on a variant of this table: 93 runs of 3 ms, 80 ms a sweep at the benchmark's
   * maximum rate, 2 ms once picked once; docs/performance.md, "The sweep's claim").
   */
  static final String CLAIM_UNAPPLIED =
      "UPDATE inbox SET claimed_until = now() + make_interval(secs => $3::double precision / 1000), attempts = attempts + 1 "
          + "WHERE id = ANY(ARRAY(SELECT id FROM inbox WHERE applied_at IS NULL "
          + "AND received_at < now() - make_interval(secs => $1::double precision / 1000) "
          + "AND (claimed_until IS NULL OR claimed_until < now()) AND attempts < $4 "
          + "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)) "
          + "RETURNING id, tenant_id, provider, received_at, headers, body";

  private final Pool pool;
  private final int batchMax;
  private final int maxInFlight;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inFlight;

  /** After this many re-drives the inbox sweep leaves a delivery alone (the admin API lists and retries those). */
  public static final int PARKED_AFTER_ATTEMPTS = 20;

  public InboxStore(Pool pool, int batchMax, int maxInFlight) {
    this.pool = pool;
    this.batchMax = batchMax;
    this.maxInFlight = maxInFlight;
  }

  /** Stores one delivery; the future completes only after the commit that holds it. */
  public Future<Stored> append(Entry entry) {
    Promise<Stored> promise = Promise.promise();
    queue.add(new Pending(entry, promise));
    if (inFlight < maxInFlight) {
      flush();
    }
    return promise.future();
  }

  private void flush() {
    if (queue.isEmpty()) {
      return;
    }
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), batchMax));
    while (!queue.isEmpty() && batch.size() < batchMax) {
      batch.add(queue.poll());
    }
    inFlight++;
    // The same key twice in one batch: one row, and every later copy is a duplicate.
    Map<String, Pending> firsts = new LinkedHashMap<>();
    for (Pending p : batch) {
      firsts.putIfAbsent(p.entry().dedupKey(), p);
    }
    int n = firsts.size();
    String[] tenants = new String[n];
    String[] providers = new String[n];
    String[] keys = new String[n];
    OffsetDateTime[] received = new OffsetDateTime[n];
    String[] headers = new String[n];
    Buffer[] bodies = new Buffer[n];
    Buffer[] digests = new Buffer[n];
    int i = 0;
    for (Pending p : firsts.values()) {
      Entry e = p.entry();
      tenants[i] = e.tenantId();
      providers[i] = e.provider();
      keys[i] = e.idempotencyKey();
      received[i] = e.receivedAt().atOffset(ZoneOffset.UTC);
      headers[i] = e.headers().encode();
      bodies[i] = Buffer.buffer(e.body());
      digests[i] = Buffer.buffer(keyDigest(e.tenantId(), e.provider(), e.idempotencyKey()));
      i++;
    }
    pool.preparedQuery(INSERT)
        .execute(Tuple.of(tenants, providers, keys, received, headers, bodies).addValue(digests))
        .onComplete(ar -> {
          inFlight--;
          if (ar.failed()) {
            batch.forEach(p -> p.promise().fail(ar.cause()));
          } else {
            Map<String, Long> ids = new HashMap<>();
            for (Row row : ar.result()) {
              ids.put(row.getString(1) + '\u0000' + row.getString(2) + '\u0000' + row.getString(3), row.getLong(0));
            }
            for (Pending p : batch) {
              String key = p.entry().dedupKey();
              Long id = firsts.get(key) == p ? ids.get(key) : null;
              p.promise().complete(id == null ? new Stored(-1, true) : new Stored(id, false));
            }
          }
          flush();
        });
  }

  /**
   * The inbox's deduplication key (migration V8): the first 16 bytes of SHA-256 over
   * {@code tenant:provider:key} in UTF-8. Tenant ids and provider names hold no ':', so two
   * different triples never make the same text; 128 bits keep an accidental collision (which
   * would drop a delivery as a duplicate) out of reach at any volume.
   */
  public static byte[] keyDigest(String tenantId, String provider, String idempotencyKey) {
    return Arrays.copyOf(Hashing.sha256(tenantId + ':' + provider + ':' + idempotencyKey), 16);
  }

  /**
   * Claims up to {@code limit} deliveries that were stored more than {@code olderThanMillis} ago
   * and are still not applied, for {@code claimMillis}; safe on several nodes at once (SKIP LOCKED
   * and the claim time keep them from taking the same rows). Deliveries tried {@code maxAttempts}
   * times are left for an operator to look at.
   */
  public Future<List<InboundDelivery>> claimUnapplied(long olderThanMillis, int limit, long claimMillis, int maxAttempts) {
    return pool.preparedQuery(CLAIM_UNAPPLIED)
        .execute(Tuple.of(olderThanMillis, limit, claimMillis, maxAttempts))
        .map(rows -> {
          List<InboundDelivery> deliveries = new ArrayList<>();
          for (Row row : rows) {
            Map<String, String> headers = new HashMap<>();
            Object h = row.getValue("headers");
            JsonObject json = h instanceof JsonObject o ? o : new JsonObject(String.valueOf(h));
            json.forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
            deliveries.add(new InboundDelivery(row.getLong("id"), row.getString("tenant_id"), row.getString("provider"),
                row.getOffsetDateTime("received_at").toInstant(), headers, row.getBuffer("body").getBytes()));
          }
          return deliveries;
        });
  }

  /**
   * Deliveries the sweep has given up on ({@code attempts >= parkedAfter}, still unapplied),
   * newest first, without their bodies: for the admin API, so an operator can see and retry them.
   */
  public Future<List<JsonObject>> parked(String tenantIdOrNull, int parkedAfter, int limit, Long beforeIdOrNull) {
    return pool.preparedQuery("SELECT id, tenant_id, provider, idempotency_key, received_at, attempts, last_error FROM inbox "
            + "WHERE applied_at IS NULL AND attempts >= $1 AND ($2::text IS NULL OR tenant_id = $2) "
            + "AND ($4::bigint IS NULL OR id < $4) ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(parkedAfter, tenantIdOrNull, limit, beforeIdOrNull))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new JsonObject()
                .put("id", row.getLong("id"))
                .put("tenantId", row.getString("tenant_id"))
                .put("provider", row.getString("provider"))
                .put("idempotencyKey", row.getString("idempotency_key"))
                .put("receivedAt", row.getOffsetDateTime("received_at").toInstant().toString())
                .put("attempts", row.getInteger("attempts"))
                .put("lastError", row.getString("last_error")));
          }
          return out;
        });
  }

  /** Gives an unapplied delivery its attempts back, so the next sweep applies it again; false when none such. */
  public Future<Boolean> retry(long id) {
    return pool.preparedQuery(
            "UPDATE inbox SET attempts = 0, claimed_until = NULL WHERE id = $1 AND applied_at IS NULL RETURNING id")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 1);
  }

  /** Notes why a delivery could not be applied (shown to operators; never holds a secret). */
  public Future<Void> recordFailure(long id, String error) {
    return pool.preparedQuery("UPDATE inbox SET last_error = $2 WHERE id = $1")
        .execute(Tuple.of(id, error.length() > 500 ? error.substring(0, 500) : error))
        .mapEmpty();
  }

  /** Counts deliveries not yet applied (for readiness and metrics). */
  public Future<Long> unappliedCount() {
    return pool.query("SELECT count(*) FROM inbox WHERE applied_at IS NULL").execute()
        .map(rs -> rs.iterator().next().getLong(0));
  }
}
