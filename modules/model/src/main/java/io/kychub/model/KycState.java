package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A customer's one current KYC state.
 *
 * @param occurredAt the provider's time of the current status, null when the provider gave none
 */
public record KycState(
    String tenantId,
    String customerId,
    KycStatus status,
    DecidedBy decidedBy,
    Reason reason,
    String provider,
    String verificationId,
    Instant occurredAt,
    Instant updatedAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("customerId", customerId)
        .put("status", status == null ? null : status.wire())
        .put("decidedBy", decidedBy == null ? null : decidedBy.wire())
        .put("reason", reason == null ? null : reason.toJson())
        .put("provider", provider)
        .put("verificationId", verificationId)
        .put("occurredAt", occurredAt == null ? null : occurredAt.toString())
        .put("updatedAt", updatedAt == null ? null : updatedAt.toString());
  }
}
