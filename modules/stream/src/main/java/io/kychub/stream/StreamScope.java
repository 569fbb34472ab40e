package io.kychub.stream;

import java.util.Objects;

/**
 * What one SSE connection may see: every event of a tenant, or only one customer's.
 *
 * @param customerIdOrNull null for the whole tenant
 */
public record StreamScope(String tenantId, String customerIdOrNull) {

  public StreamScope {
    Objects.requireNonNull(tenantId, "tenantId");
  }

  public static StreamScope tenant(String tenantId) {
    return new StreamScope(tenantId, null);
  }

  public static StreamScope customer(String tenantId, String customerId) {
    return new StreamScope(tenantId, Objects.requireNonNull(customerId, "customerId"));
  }
}
