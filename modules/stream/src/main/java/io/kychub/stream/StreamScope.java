package io.kychub.stream;

import java.time.Instant;
import java.util.Objects;

/**
 * What one SSE connection may see (every event of a tenant, or only one customer's) and the
 * credential that opened it, which the stream keeps checking: a stream ends when its credential
 * no longer holds.
 *
 * @param customerIdOrNull null for the whole tenant
 * @param credential the API key or client secret behind the stream
 */
public record StreamScope(String tenantId, String customerIdOrNull, Credential credential) {

  /** How a stream was opened: {@code id} is the key's id or the secret's hash, never the secret itself. */
  public record Credential(Kind kind, String id, Instant expiresAtOrNull) {
    public Credential {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(id, "id");
    }

    public boolean expiredAt(Instant now) {
      return expiresAtOrNull != null && !now.isBefore(expiresAtOrNull);
    }
  }

  /** The kinds of credential a stream may be opened with. */
  public enum Kind {
    API_KEY, CLIENT_SECRET
  }

  public StreamScope {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(credential, "credential");
  }

  public static StreamScope tenant(String tenantId, Credential credential) {
    return new StreamScope(tenantId, null, credential);
  }

  public static StreamScope customer(String tenantId, String customerId, Credential credential) {
    return new StreamScope(tenantId, Objects.requireNonNull(customerId, "customerId"), credential);
  }
}
