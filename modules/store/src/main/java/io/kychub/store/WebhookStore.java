package io.kychub.store;

import io.kychub.model.SecretValue;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Operator webhooks in PostgreSQL (V11): a tenant's endpoints with their sealed signing secrets
 * and their cursor in the tenant's event log, the deliveries made from the log past each cursor,
 * and every attempt. Every statement any node runs on these tables is here.
 */
public final class WebhookStore {

  /** At most this many endpoints per tenant. */
  public static final int MAX_ENDPOINTS_PER_TENANT = 20;

  /** An endpoint as the API shows it (never its secrets) and as the sender needs it (with them). */
  public record Endpoint(String id, String tenantId, String url, String description, List<String> statusesOrNull,
      boolean enabled, String disabledReason, List<SecretValue> secrets, long cursorSeq, Instant failingSince,
      Instant createdAt, Instant updatedAt) {

    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("url", url).put("description", description)
          .put("statuses", statusesOrNull == null ? null : new JsonArray(new ArrayList<>(statusesOrNull)))
          .put("enabled", enabled).put("disabledReason", disabledReason)
          .put("failingSince", failingSince == null ? null : failingSince.toString())
          .put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString());
    }

    @Override
    public String toString() {
      return "Endpoint[" + id + ", tenant=" + tenantId + ", enabled=" + enabled + "]";
    }
  }

  /** What a PATCH may change; null fields stay. {@code statuses} an empty list: every status again. */
  public record EndpointPatch(String url, String description, List<String> statuses, Boolean enabled) {}

  /** A claimed delivery with what it takes to send it; {@code attempt} counts this one. */
  public record Claimed(String endpointId, long eventSeq, String tenantId, String customerId, int attempt) {}

  /** A claimed delivery's event (the JSON body) and its endpoint's target and secrets. */
  public record Sendable(Claimed delivery, String url, List<SecretValue> secrets, JsonObject event) {}

  private static final String ENDPOINT_COLUMNS = "id, tenant_id, url, description, statuses, enabled, disabled_reason, key_id, "
      + "sealed, cursor_seq, failing_since, created_at, updated_at";

  private final Pool pool;
  private final SecretBox box;

  public WebhookStore(Pool pool, SecretBox box) {
    this.pool = pool;
    this.box = box;
  }

  // --- endpoints -------------------------------------------------------------------------------

  /**
   * Creates an endpoint whose cursor is the tenant's last event (it gets what comes next); fails
   * with {@link ConflictException} when the tenant has {@link #MAX_ENDPOINTS_PER_TENANT} already.
   */
  public Future<Endpoint> create(String id, String tenantId, String url, String description, List<String> statuses,
      String secret) {
    SecretBox.Sealed sealed = seal(List.of(new SecretValue(secret, null)));
    return pool.withTransaction(conn -> conn
        // The tenant's row serialises creations, so the count below cannot be raced past.
        .preparedQuery("SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE").execute(Tuple.of(tenantId))
        .compose(t -> conn.preparedQuery("SELECT count(*) FROM webhook_endpoints WHERE tenant_id = $1")
            .execute(Tuple.of(tenantId)))
        .compose(count -> count.iterator().next().getLong(0) >= MAX_ENDPOINTS_PER_TENANT
            ? Future.failedFuture(new ConflictException("a tenant has at most " + MAX_ENDPOINTS_PER_TENANT + " endpoints"))
            : conn.preparedQuery("INSERT INTO webhook_endpoints (id, tenant_id, url, description, statuses, key_id, sealed, "
                    + "cursor_seq) SELECT $1, $2, $3, $4, $5, $6, $7, COALESCE((SELECT last_seq FROM tenant_sequences "
                    + "WHERE tenant_id = $2), 0) RETURNING " + ENDPOINT_COLUMNS)
                .execute(Tuple.tuple().addValue(id).addValue(tenantId).addValue(url).addValue(description)
                    .addValue(statuses == null ? null : statuses.toArray(new String[0])).addValue(sealed.keyId())
                    .addValue(Buffer.buffer(sealed.blob())))
                .map(rows -> toEndpoint(rows.iterator().next()))));
  }

  public Future<Optional<Endpoint>> find(String tenantId, String id) {
    return pool.preparedQuery("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id)).map(this::first);
  }

  /** A tenant's endpoints, optionally only the enabled ({@code true}) or disabled ({@code false}) ones. */
  public Future<List<Endpoint>> list(String tenantId, Boolean enabledOrNull) {
    return pool.preparedQuery("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE tenant_id = $1 "
            + "AND ($2::boolean IS NULL OR enabled = $2) ORDER BY created_at, id")
        .execute(Tuple.of(tenantId, enabledOrNull)).map(this::all);
  }

  /** Endpoints by id, for the sender (any tenant). */
  public Future<List<Endpoint>> byIds(List<String> ids) {
    return pool.preparedQuery("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE id = ANY($1)")
        .execute(Tuple.tuple().addValue(ids.toArray(new String[0]))).map(this::all);
  }

  /** Applies the patch; re-enabling also forgets that the endpoint was failing. Empty when there is no such endpoint. */
  public Future<Optional<Endpoint>> update(String tenantId, String id, EndpointPatch patch) {
    String[] statuses = patch.statuses() == null ? null : patch.statuses().toArray(new String[0]);
    return pool.preparedQuery("UPDATE webhook_endpoints SET url = COALESCE($3, url), description = COALESCE($4, description), "
            + "statuses = CASE WHEN $5::text[] IS NULL THEN statuses WHEN cardinality($5::text[]) = 0 THEN NULL ELSE $5 END, "
            + "enabled = COALESCE($6, enabled), "
            + "disabled_reason = CASE WHEN $6 IS NULL THEN disabled_reason WHEN $6 THEN NULL ELSE 'disabled by the operator' END, "
            + "failing_since = CASE WHEN $6 THEN NULL ELSE failing_since END, updated_at = now() "
            + "WHERE tenant_id = $1 AND id = $2 RETURNING " + ENDPOINT_COLUMNS)
        .execute(Tuple.tuple().addValue(tenantId).addValue(id).addValue(patch.url()).addValue(patch.description())
            .addValue(statuses).addValue(patch.enabled()))
        .map(this::first);
  }

  /** Disables an endpoint (the admin API, or the sender after it failed for too long); false when unknown. */
  public Future<Boolean> disable(String tenantId, String id, String reason) {
    return pool.preparedQuery("UPDATE webhook_endpoints SET enabled = false, disabled_reason = $3, updated_at = now() "
            + "WHERE tenant_id = $1 AND id = $2").execute(Tuple.of(tenantId, id, reason)).map(rows -> rows.rowCount() > 0);
  }

  /** Deletes an endpoint with its deliveries and attempts; false when there is no such endpoint. */
  public Future<Boolean> delete(String tenantId, String id) {
    return pool.preparedQuery("DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id)).map(rows -> rows.rowCount() > 0);
  }

  /**
   * A new secret signs from now on; the current one goes on signing beside it until {@code
   * previousUntil}. A previous secret still live from an earlier rotation ends now.
   */
  public Future<Optional<Endpoint>> rotate(String tenantId, String id, String newSecret, Instant previousUntil) {
    return find(tenantId, id).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.<Endpoint>empty());
      }
      List<SecretValue> next = new ArrayList<>();
      next.add(new SecretValue(newSecret, null));
      found.get().secrets().stream().filter(s -> s.notAfter() == null).findFirst()
          .ifPresent(current -> next.add(new SecretValue(current.value(), previousUntil)));
      SecretBox.Sealed sealed = seal(next);
      return pool.preparedQuery("UPDATE webhook_endpoints SET key_id = $3, sealed = $4, updated_at = now() "
              + "WHERE tenant_id = $1 AND id = $2 RETURNING " + ENDPOINT_COLUMNS)
          .execute(Tuple.of(tenantId, id, sealed.keyId(), Buffer.buffer(sealed.blob()))).map(this::first);
    });
  }

  /** Tenants with at least one enabled endpoint. */
  public Future<List<String>> tenantsWithEndpoints() {
    return pool.preparedQuery("SELECT DISTINCT tenant_id FROM webhook_endpoints WHERE enabled").execute().map(rows -> {
      List<String> list = new ArrayList<>();
      rows.forEach(r -> list.add(r.getString(0)));
      return list;
    });
  }

  // --- deliveries ------------------------------------------------------------------------------

  /**
   * Copies the events past each enabled endpoint's cursor of these tenants into deliveries (those
   * of its statuses, all when it lists none) and moves the cursors, in one statement; at most
   * {@code perEndpoint} events per endpoint. Endpoints another node is copying for are skipped.
   *
   * @return how many events were looked at (0: every endpoint is caught up)
   */
  public Future<Integer> fanIn(List<String> tenantIds, int perEndpoint) {
    return pool.preparedQuery("WITH e AS (SELECT id, tenant_id, cursor_seq, statuses FROM webhook_endpoints "
            + "WHERE enabled AND tenant_id = ANY($1) FOR UPDATE SKIP LOCKED), "
            + "ev AS (SELECT e.id AS endpoint_id, e.statuses, v.seq, v.tenant_id, v.customer_id, v.payload->>'status' AS status "
            + "FROM e CROSS JOIN LATERAL (SELECT seq, tenant_id, customer_id, payload FROM events v "
            + "WHERE v.tenant_id = e.tenant_id AND v.seq > e.cursor_seq ORDER BY v.seq LIMIT $2) v), "
            + "ins AS (INSERT INTO webhook_deliveries (endpoint_id, event_seq, tenant_id, customer_id) "
            + "SELECT endpoint_id, seq, tenant_id, customer_id FROM ev WHERE statuses IS NULL OR status IS NULL "
            + "OR status = ANY(statuses) ON CONFLICT DO NOTHING), "
            + "up AS (UPDATE webhook_endpoints w SET cursor_seq = m.last FROM (SELECT endpoint_id, max(seq) AS last FROM ev "
            + "GROUP BY endpoint_id) m WHERE w.id = m.endpoint_id) "
            + "SELECT count(*) FROM ev")
        .execute(Tuple.tuple().addValue(tenantIds.toArray(new String[0])).addValue(perEndpoint))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }

  /**
   * Claims due deliveries of enabled endpoints for {@code leaseMillis}: a delivery only when no
   * earlier event of its customer is still pending for its endpoint (order per customer), and none
   * of the endpoints in {@code busyEndpoints} (at their limit of requests in flight on this node).
   */
  public Future<List<Claimed>> claim(int limit, long leaseMillis, List<String> busyEndpoints) {
    return pool.preparedQuery("UPDATE webhook_deliveries d SET claimed_until = now() + make_interval(secs => "
            + "$2::double precision / 1000), attempts = d.attempts + 1 FROM (SELECT c.endpoint_id, c.event_seq "
            + "FROM webhook_deliveries c JOIN webhook_endpoints w ON w.id = c.endpoint_id AND w.enabled "
            + "WHERE c.state = 'pending' AND c.due_at <= now() AND (c.claimed_until IS NULL OR c.claimed_until < now()) "
            + "AND NOT (c.endpoint_id = ANY($3)) AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p "
            + "WHERE p.endpoint_id = c.endpoint_id AND p.customer_id = c.customer_id AND p.state = 'pending' "
            + "AND p.event_seq < c.event_seq) ORDER BY c.due_at LIMIT $1 FOR UPDATE OF c SKIP LOCKED) k "
            + "WHERE d.endpoint_id = k.endpoint_id AND d.event_seq = k.event_seq "
            + "RETURNING d.endpoint_id, d.event_seq, d.tenant_id, d.customer_id, d.attempts")
        .execute(Tuple.tuple().addValue(limit).addValue(leaseMillis).addValue(busyEndpoints.toArray(new String[0])))
        .map(rows -> {
          List<Claimed> list = new ArrayList<>();
          rows.forEach(r -> list.add(new Claimed(r.getString(0), r.getLong(1), r.getString(2), r.getString(3), r.getInteger(4))));
          return list;
        });
  }

  /** The claimed deliveries with their events and endpoints (those of a deleted endpoint are left out). */
  public Future<List<Sendable>> sendable(List<Claimed> claimed) {
    if (claimed.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] tenants = claimed.stream().map(Claimed::tenantId).toArray(String[]::new);
    Long[] seqs = claimed.stream().map(Claimed::eventSeq).toArray(Long[]::new);
    Future<RowSet<Row>> events = pool.preparedQuery("SELECT v.tenant_id, v.seq, v.payload FROM unnest($1::text[], $2::bigint[]) "
            + "AS k(t, s) JOIN events v ON v.tenant_id = k.t AND v.seq = k.s")
        .execute(Tuple.tuple().addValue(tenants).addValue(seqs));
    Future<List<Endpoint>> endpoints = byIds(claimed.stream().map(Claimed::endpointId).distinct().toList());
    return Future.all(events, endpoints).map(v -> {
      java.util.Map<String, JsonObject> byEvent = new java.util.HashMap<>();
      for (Row r : events.result()) {
        byEvent.put(r.getString(0) + ' ' + r.getLong(1), (JsonObject) r.getValue(2));
      }
      java.util.Map<String, Endpoint> byId = new java.util.HashMap<>();
      endpoints.result().forEach(e -> byId.put(e.id(), e));
      List<Sendable> list = new ArrayList<>();
      for (Claimed c : claimed) {
        Endpoint endpoint = byId.get(c.endpointId());
        JsonObject event = byEvent.get(c.tenantId() + ' ' + c.eventSeq());
        if (endpoint != null && event != null) {
          list.add(new Sendable(c, endpoint.url(), endpoint.secrets(), event));
        }
      }
      return list;
    });
  }

  /** One attempt's outcome, as the sender records it. */
  public record AttemptOutcome(Integer statusCodeOrNull, int latencyMillis, String responseOrNull, String errorOrNull) {}

  /** The attempt was answered 2xx: delivered; the endpoint is no longer failing. */
  public Future<Void> delivered(Claimed c, AttemptOutcome outcome) {
    return pool.withTransaction(conn -> conn.preparedQuery("UPDATE webhook_deliveries SET state = 'delivered', "
                + "finished_at = now(), claimed_until = NULL, last_status = $3, last_error = NULL "
                + "WHERE endpoint_id = $1 AND event_seq = $2").execute(Tuple.of(c.endpointId(), c.eventSeq(),
                outcome.statusCodeOrNull()))
            .compose(v -> conn.preparedQuery("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 "
                + "AND failing_since IS NOT NULL").execute(Tuple.of(c.endpointId())))
            .compose(v -> attempt(conn, c, outcome, "delivered")))
        .mapEmpty();
  }

  /**
   * The attempt failed: due again after {@code retryAfterMillis}, or failed for good when null; the
   * endpoint is failing since its first failure after a success.
   */
  public Future<Void> notDelivered(Claimed c, AttemptOutcome outcome, Long retryAfterMillisOrNull) {
    boolean last = retryAfterMillisOrNull == null;
    return pool.withTransaction(conn -> conn.preparedQuery("UPDATE webhook_deliveries SET state = $3, claimed_until = NULL, "
                + "due_at = now() + make_interval(secs => $4::double precision / 1000), last_status = $5, last_error = $6, "
                + "finished_at = CASE WHEN $3 = 'failed' THEN now() END WHERE endpoint_id = $1 AND event_seq = $2")
            .execute(Tuple.tuple().addValue(c.endpointId()).addValue(c.eventSeq()).addValue(last ? "failed" : "pending")
                .addValue(last ? 0L : retryAfterMillisOrNull).addValue(outcome.statusCodeOrNull())
                .addValue(clip(outcome.errorOrNull(), 500)))
            .compose(v -> conn.preparedQuery("UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, now()) "
                + "WHERE id = $1").execute(Tuple.of(c.endpointId())))
            .compose(v -> attempt(conn, c, outcome, last ? "failed" : "retrying")))
        .mapEmpty();
  }

  private Future<Void> attempt(io.vertx.sqlclient.SqlConnection conn, Claimed c, AttemptOutcome outcome, String result) {
    return conn.preparedQuery("INSERT INTO webhook_attempts (endpoint_id, event_seq, attempt, status_code, latency_ms, "
            + "response, error, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(Tuple.tuple().addValue(c.endpointId()).addValue(c.eventSeq()).addValue(c.attempt())
            .addValue(outcome.statusCodeOrNull()).addValue(outcome.latencyMillis()).addValue(outcome.responseOrNull())
            .addValue(clip(outcome.errorOrNull(), 500)).addValue(result))
        .mapEmpty();
  }

  /**
   * Disables the endpoint if it has failed, and only failed, since before {@code failingFor} ago;
   * its tenant when it did (for the audit entry), else empty.
   */
  public Future<Optional<String>> disableIfFailingSince(String endpointId, Instant before) {
    return pool.preparedQuery("UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'failed for too long: every "
            + "attempt since ' || to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
            + "updated_at = now() WHERE id = $1 AND enabled AND failing_since < $2 RETURNING tenant_id")
        .execute(Tuple.of(endpointId, before.atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.size() == 0 ? Optional.<String>empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  /**
   * Sends these events (or every event after {@code sinceSeq}, of the endpoint's statuses) to the
   * endpoint again, each as a new first attempt with the same webhook-id; returns how many.
   */
  public Future<Integer> replay(String tenantId, String endpointId, Long sinceSeqOrNull, List<Long> seqsOrNull, int max) {
    String events = seqsOrNull != null
        ? "SELECT v.tenant_id, v.seq, v.customer_id FROM events v WHERE v.tenant_id = $1 AND v.seq = ANY($3) LIMIT $4"
        : "SELECT v.tenant_id, v.seq, v.customer_id FROM events v JOIN webhook_endpoints w ON w.id = $2 "
            + "WHERE v.tenant_id = $1 AND v.seq > $3 AND v.seq <= w.cursor_seq "
            + "AND (w.statuses IS NULL OR v.payload->>'status' IS NULL OR v.payload->>'status' = ANY(w.statuses)) "
            + "ORDER BY v.seq LIMIT $4";
    Object third = seqsOrNull != null ? seqsOrNull.toArray(new Long[0]) : sinceSeqOrNull;
    return pool.preparedQuery("WITH v AS (" + events + ") INSERT INTO webhook_deliveries (endpoint_id, event_seq, tenant_id, "
            + "customer_id) SELECT $2, v.seq, v.tenant_id, v.customer_id FROM v "
            + "WHERE EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.id = $2 AND w.tenant_id = $1) "
            + "ON CONFLICT (endpoint_id, event_seq) DO UPDATE SET state = 'pending', attempts = 0, due_at = now(), "
            + "claimed_until = NULL, finished_at = NULL, last_error = NULL")
        .execute(Tuple.tuple().addValue(tenantId).addValue(endpointId).addValue(third).addValue(max))
        .map(RowSet::rowCount);
  }

  /** An endpoint's attempts, newest first, optionally of one outcome. */
  public Future<List<JsonObject>> attempts(String endpointId, String outcomeOrNull, int limit, Long beforeIdOrNull) {
    return pool.preparedQuery("SELECT id, event_seq, attempt, at, status_code, latency_ms, response, error, outcome "
            + "FROM webhook_attempts WHERE endpoint_id = $1 AND ($2::text IS NULL OR outcome = $2) "
            + "AND ($4::bigint IS NULL OR id < $4) ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(endpointId, outcomeOrNull, limit, beforeIdOrNull))
        .map(rows -> {
          List<JsonObject> list = new ArrayList<>();
          for (Row r : rows) {
            list.add(new JsonObject().put("id", r.getLong("id")).put("eventId", Long.toString(r.getLong("event_seq")))
                .put("attempt", r.getInteger("attempt")).put("at", r.getOffsetDateTime("at").toInstant().toString())
                .put("statusCode", r.getInteger("status_code")).put("latencyMillis", r.getInteger("latency_ms"))
                .put("response", r.getString("response")).put("error", r.getString("error"))
                .put("status", r.getString("outcome")));
          }
          return list;
        });
  }

  /** Per endpoint with deliveries waiting: when the oldest was made (for the lag gauge). */
  public Future<java.util.Map<String, Instant>> oldestPending() {
    return pool.preparedQuery("SELECT endpoint_id, min(created_at) FROM webhook_deliveries WHERE state = 'pending' "
            + "GROUP BY endpoint_id").execute()
        .map(rows -> {
          java.util.Map<String, Instant> oldest = new java.util.HashMap<>();
          rows.forEach(r -> oldest.put(r.getString(0), r.getOffsetDateTime(1).toInstant()));
          return oldest;
        });
  }

  /** Deletes at most {@code batch} attempts and finished deliveries older than {@code before}; how many went. */
  public Future<Integer> purgeOlderThan(Instant before, int batch) {
    OffsetDateTime at = before.atOffset(ZoneOffset.UTC);
    Future<RowSet<Row>> attempts = pool.preparedQuery("DELETE FROM webhook_attempts WHERE id = ANY(ARRAY("
        + "SELECT id FROM webhook_attempts WHERE at < $1 ORDER BY at LIMIT $2))").execute(Tuple.of(at, batch));
    Future<RowSet<Row>> deliveries = pool.preparedQuery("DELETE FROM webhook_deliveries d USING (SELECT endpoint_id, event_seq "
        + "FROM webhook_deliveries WHERE state <> 'pending' AND finished_at < $1 LIMIT $2) old "
        + "WHERE d.endpoint_id = old.endpoint_id AND d.event_seq = old.event_seq").execute(Tuple.of(at, batch));
    return Future.all(attempts, deliveries).map(v -> attempts.result().rowCount() + deliveries.result().rowCount());
  }

  // --- rows ------------------------------------------------------------------------------------

  private SecretBox.Sealed seal(List<SecretValue> secrets) {
    JsonArray list = new JsonArray();
    secrets.forEach(s -> list.add(s.toJson()));
    return box.seal(new JsonObject().put("secrets", list).toBuffer().getBytes());
  }

  private Optional<Endpoint> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toEndpoint(rows.iterator().next()));
  }

  private List<Endpoint> all(RowSet<Row> rows) {
    List<Endpoint> list = new ArrayList<>();
    rows.forEach(r -> list.add(toEndpoint(r)));
    return list;
  }

  private Endpoint toEndpoint(Row r) {
    JsonObject opened = new JsonObject(Buffer.buffer(box.open(r.getString("key_id"), r.getBuffer("sealed").getBytes())));
    List<SecretValue> secrets = new ArrayList<>();
    opened.getJsonArray("secrets").forEach(s -> secrets.add(SecretValue.parse(s)));
    String[] statuses = r.getArrayOfStrings("statuses");
    OffsetDateTime failing = r.getOffsetDateTime("failing_since");
    return new Endpoint(r.getString("id"), r.getString("tenant_id"), r.getString("url"), r.getString("description"),
        statuses == null ? null : Arrays.asList(statuses), r.getBoolean("enabled"), r.getString("disabled_reason"),
        List.copyOf(secrets), r.getLong("cursor_seq"), failing == null ? null : failing.toInstant(),
        r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
  }

  private static String clip(String text, int max) {
    return text == null ? null : text.length() > max ? text.substring(0, max) : text;
  }
}
