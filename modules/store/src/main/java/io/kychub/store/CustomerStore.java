package io.kychub.store;

import io.kychub.model.KycStatus;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Operator-side customer data: identity fingerprints, the review queue, client secrets, and the
 * queries behind verify-once reuse (which never return another tenant's ids to an API).
 */
public final class CustomerStore {

  /** What a client secret grants: one customer's events, until {@code expiresAt}. */
  public record SecretGrant(String tenantId, String customerId, Instant expiresAt) {}

  /** A customer waiting for a manual decision. */
  public record Review(String customerId, String provider, String verificationId, Reason reason, Instant since) {}

  /** An open (pending or processing) verification for the sweeps. */
  public record OpenVerification(UUID id, String tenantId, String customerId, String provider, String providerRef,
      KycStatus status, Instant expiresAt, Instant updatedAt, boolean current) {}

  private final Pool pool;

  public CustomerStore(Pool pool) {
    this.pool = pool;
  }

  /** Creates the customer if needed and sets (or clears, with null) its identity fingerprint. */
  public Future<Void> putIdentity(String tenantId, String customerId, byte[] fingerprintOrNull) {
    return pool.preparedQuery("INSERT INTO customers (tenant_id, id, identity_fingerprint) VALUES ($1, $2, $3) "
            + "ON CONFLICT (tenant_id, id) DO UPDATE SET identity_fingerprint = EXCLUDED.identity_fingerprint, updated_at = now()")
        .execute(Tuple.of(tenantId, customerId, fingerprintOrNull == null ? null : Buffer.buffer(fingerprintOrNull)))
        .mapEmpty();
  }

  /** Creates the customer if needed, leaving its identity as it is. */
  public Future<Void> ensureCustomer(String tenantId, String customerId) {
    return pool.preparedQuery("INSERT INTO customers (tenant_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(tenantId, customerId))
        .mapEmpty();
  }

  public Future<Optional<byte[]>> fingerprint(String tenantId, String customerId) {
    return pool.preparedQuery("SELECT identity_fingerprint FROM customers WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, customerId))
        .map(rs -> {
          if (rs.size() == 0) {
            return Optional.empty();
          }
          Buffer b = rs.iterator().next().getBuffer(0);
          return Optional.ofNullable(b == null ? null : b.getBytes());
        });
  }

  public Future<List<Review>> reviews(String tenantId, int limit) {
    return pool.preparedQuery("SELECT id, provider, verification_id, reason_code, reason_detail, updated_at FROM customers "
            + "WHERE tenant_id = $1 AND status = 'under_review' ORDER BY updated_at LIMIT $2")
        .execute(Tuple.of(tenantId, limit))
        .map(rows -> {
          List<Review> list = new ArrayList<>();
          for (Row r : rows) {
            String code = r.getString("reason_code");
            UUID v = r.getUUID("verification_id");
            list.add(new Review(r.getString("id"), r.getString("provider"), v == null ? null : v.toString(),
                code == null ? null : new Reason(ReasonCode.valueOf(code), r.getString("reason_detail")),
                r.getOffsetDateTime("updated_at").toInstant()));
          }
          return list;
        });
  }

  /** The provider reference of a verification (for provider calls), if any. */
  public Future<Optional<String>> providerRef(UUID verificationId) {
    return pool.preparedQuery("SELECT provider_ref FROM verifications WHERE id = $1")
        .execute(Tuple.of(verificationId))
        .map(rs -> rs.size() == 0 ? Optional.<String>empty() : Optional.ofNullable(rs.iterator().next().getString(0)));
  }

  // --- client secrets --------------------------------------------------------------------------

  public Future<Void> putClientSecret(byte[] secretHash, String tenantId, String customerId, Instant expiresAt) {
    return pool.preparedQuery("INSERT INTO client_secrets (secret_hash, tenant_id, customer_id, expires_at) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(Buffer.buffer(secretHash), tenantId, customerId, expiresAt.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /** The customer a client secret reads and until when, while it has not expired. */
  public Future<Optional<SecretGrant>> clientSecret(byte[] secretHash) {
    return pool.preparedQuery("SELECT tenant_id, customer_id, expires_at FROM client_secrets "
            + "WHERE secret_hash = $1 AND expires_at > now()")
        .execute(Tuple.of(Buffer.buffer(secretHash)))
        .map(rs -> {
          if (rs.size() == 0) {
            return Optional.<SecretGrant>empty();
          }
          Row r = rs.iterator().next();
          return Optional.of(new SecretGrant(r.getString(0), r.getString(1), r.getOffsetDateTime(2).toInstant()));
        });
  }

  // --- reuse -----------------------------------------------------------------------------------

  /** A verified verification other tenants may draw on: where it is, and when it was decided. */
  public record Source(UUID verificationId, String tenantId, String provider, byte[] fingerprint, Instant decidedAt) {}

  /** A waiting customer of a tenant that accepts reuse, with how old a reused decision may be there. */
  public record Candidate(String tenantId, String customerId, int maxAgeDays) {}

  /** A reuse that is its customer's current, verified verification. */
  public record Reuse(UUID verificationId, String tenantId, String customerId, String provider) {}

  private static final String VALID_SOURCE = "FROM verifications v "
      + "JOIN customers c ON c.tenant_id = v.tenant_id AND c.id = v.customer_id AND c.verification_id = v.id "
      + "JOIN tenants t ON t.id = v.tenant_id AND t.enabled AND t.reuse_share "
      + "WHERE v.status = 'verified' AND c.status = 'verified' AND c.decided_by IN ('provider', 'operator') "
      + "AND v.reused_from IS NULL AND v.fingerprint IS NOT NULL ";

  /**
   * The newest verification bound to this person's fingerprint at another tenant that shares, still
   * its customer's verified verification, decided (by a provider or an operator, not itself a
   * reuse) within {@code maxAgeDays}.
   */
  public Future<Optional<Source>> reusable(byte[] fingerprint, String acceptingTenantId, int maxAgeDays) {
    return pool.preparedQuery("SELECT v.id, v.tenant_id, v.provider, v.fingerprint, v.decided_at " + VALID_SOURCE
            + "AND v.fingerprint = $1 AND v.tenant_id <> $2 AND v.decided_at > now() - make_interval(days => $3) "
            + "ORDER BY v.decided_at DESC LIMIT 1")
        .execute(Tuple.of(Buffer.buffer(fingerprint), acceptingTenantId, maxAgeDays))
        .map(CustomerStore::firstSource);
  }

  /** The verification as a reuse source, while it still is one (verified, its tenant sharing). */
  public Future<Optional<Source>> source(UUID verificationId) {
    return pool.preparedQuery("SELECT v.id, v.tenant_id, v.provider, v.fingerprint, v.decided_at " + VALID_SOURCE
            + "AND v.id = $1")
        .execute(Tuple.of(verificationId))
        .map(CustomerStore::firstSource);
  }

  /** Pending customers with these claims at other enabled tenants that accept reuse. */
  public Future<List<Candidate>> pendingOfPerson(byte[] fingerprint, String exceptTenantId) {
    return pool.preparedQuery("SELECT c.tenant_id, c.id, t.reuse_max_age_days FROM customers c "
            + "JOIN tenants t ON t.id = c.tenant_id AND t.enabled AND t.reuse_accept "
            + "WHERE c.identity_fingerprint = $1 AND c.tenant_id <> $2 AND c.status = 'pending'")
        .execute(Tuple.of(Buffer.buffer(fingerprint), exceptTenantId))
        .map(rows -> {
          List<Candidate> list = new ArrayList<>();
          rows.forEach(r -> list.add(new Candidate(r.getString(0), r.getString(1), r.getInteger(2))));
          return list;
        });
  }

  /** The reuses of any verification of this customer that are still their customer's verified verification. */
  public Future<List<Reuse>> reusesOfCustomer(String tenantId, String customerId) {
    return pool.preparedQuery("SELECT r.id, rc.tenant_id, rc.id, r.provider FROM verifications s "
            + "JOIN verifications r ON r.reused_from = s.id "
            + "JOIN customers rc ON rc.tenant_id = r.tenant_id AND rc.id = r.customer_id AND rc.verification_id = r.id "
            + "WHERE s.tenant_id = $1 AND s.customer_id = $2 AND rc.status = 'verified' AND rc.decided_by = 'reuse'")
        .execute(Tuple.of(tenantId, customerId))
        .map(rows -> {
          List<Reuse> list = new ArrayList<>();
          rows.forEach(r -> list.add(new Reuse(r.getUUID(0), r.getString(1), r.getString(2), r.getString(3))));
          return list;
        });
  }

  private static Optional<Source> firstSource(Iterable<Row> rows) {
    for (Row r : rows) {
      return Optional.of(new Source(r.getUUID(0), r.getString(1), r.getString(2), r.getBuffer(3).getBytes(),
          r.getOffsetDateTime(4).toInstant()));
    }
    return Optional.empty();
  }

  // --- sweeps ----------------------------------------------------------------------------------

  /**
   * Claims up to {@code limit} open verifications not polled or changed for {@code idleMillis},
   * marking them polled now; SKIP LOCKED keeps several nodes from taking the same ones.
   */
  public Future<List<OpenVerification>> claimIdle(long idleMillis, int limit) {
    return pool.preparedQuery("UPDATE verifications v SET polled_at = now() WHERE v.id IN ("
            + "SELECT id FROM verifications WHERE status IN ('pending', 'processing') "
            + "AND updated_at < now() - make_interval(secs => $1::double precision / 1000) "
            + "AND (polled_at IS NULL OR polled_at < now() - make_interval(secs => $1::double precision / 1000)) "
            + "ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED) "
            + "RETURNING v.id, v.tenant_id, v.customer_id, v.provider, v.provider_ref, v.status, v.expires_at, v.updated_at, "
            + "EXISTS (SELECT 1 FROM customers c WHERE c.tenant_id = v.tenant_id AND c.id = v.customer_id "
            + "AND c.verification_id = v.id) AS current")
        .execute(Tuple.of(idleMillis, limit))
        .map(rows -> {
          List<OpenVerification> list = new ArrayList<>();
          for (Row r : rows) {
            var expires = r.getOffsetDateTime("expires_at");
            list.add(new OpenVerification(r.getUUID("id"), r.getString("tenant_id"), r.getString("customer_id"),
                r.getString("provider"), r.getString("provider_ref"), KycStatus.fromWire(r.getString("status")),
                expires == null ? null : expires.toInstant(), r.getOffsetDateTime("updated_at").toInstant(),
                r.getBoolean("current")));
          }
          return list;
        });
  }
}
