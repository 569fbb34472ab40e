package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A change of a customer's KYC state: the SSE {@code data} and a history entry.
 *
 * @param id the per-tenant, strictly increasing sequence number (also the SSE {@code id:})
 */
public record StatusChangedEvent(
    long id,
    String tenantId,
    String customerId,
    String verificationId,
    String provider,
    KycStatus status,
    KycStatus previousStatus,
    DecidedBy decidedBy,
    Reason reason,
    Instant occurredAt,
    Instant recordedAt) {

  public static final String TYPE = "kyc.status_changed";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", Long.toString(id))
        .put("type", TYPE)
        .put("tenantId", tenantId)
        .put("customerId", customerId)
        .put("verificationId", verificationId)
        .put("provider", provider)
        .put("status", status.wire())
        .put("previousStatus", previousStatus == null ? null : previousStatus.wire())
        .put("decidedBy", decidedBy.wire())
        .put("reason", reason == null ? null : reason.toJson())
        .put("occurredAt", occurredAt == null ? null : occurredAt.toString())
        .put("recordedAt", recordedAt.toString());
    return json;
  }

  public static StatusChangedEvent fromJson(JsonObject json) {
    String prev = json.getString("previousStatus");
    String at = json.getString("occurredAt");
    return new StatusChangedEvent(
        Long.parseLong(json.getString("id")),
        json.getString("tenantId"),
        json.getString("customerId"),
        json.getString("verificationId"),
        json.getString("provider"),
        KycStatus.fromWire(json.getString("status")),
        prev == null ? null : KycStatus.fromWire(prev),
        DecidedBy.fromWire(json.getString("decidedBy")),
        Reason.fromJson(json.getJsonObject("reason")),
        at == null ? null : Instant.parse(at),
        Instant.parse(json.getString("recordedAt")));
  }
}
