package io.kychub.simulator;

import io.kychub.model.DecidedBy;
import io.kychub.model.KycStatus;
import io.kychub.model.Reason;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What a simulated provider knows about one customer.
 *
 * @param reference the provider's id of the verification (Ondato IDV id, Ripio submission id,
 *     Vivamo customer id), or null
 * @param decidedBy {@code OPERATOR} after a manual decision through the provider's API (Vivamo)
 */
public record SimCustomer(
    String customerId,
    String reference,
    KycStatus status,
    DecidedBy decidedBy,
    Reason reason,
    Instant createdAt,
    Instant updatedAt) {

  SimCustomer withStatus(KycStatus status, DecidedBy decidedBy, Reason reason, Instant at) {
    return new SimCustomer(customerId, reference, status, decidedBy, reason, createdAt, at);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("customerId", customerId)
        .put("reference", reference)
        .put("status", status.wire())
        .put("decidedBy", decidedBy.wire())
        .put("reason", reason == null ? null : reason.toJson())
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString());
  }
}
