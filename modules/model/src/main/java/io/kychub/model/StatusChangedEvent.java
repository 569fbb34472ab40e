package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A change of a customer's KYC state: the SSE {@code data} and a history entry.
 *
 * @param id the per-tenant, strictly increasing sequence number (also the SSE {@code id:})
 * @param forwardingOrNull for a manual decision: whether it is forwarded to the provider
 *     ({@code pending}, later {@code sent} or {@code failed} in the history) or cannot be ({@code not_supported})
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
    Instant recordedAt,
    String forwardingOrNull) {

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
    if (forwardingOrNull != null) {
      json.put("forwarding", forwardingOrNull);
    }
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
        Instant.parse(json.getString("recordedAt")),
        json.getString("forwarding"));
  }

  /** This event with its sequence number. */
  public StatusChangedEvent withId(long sequence) {
    return new StatusChangedEvent(sequence, tenantId, customerId, verificationId, provider, status, previousStatus, decidedBy,
        reason, occurredAt, recordedAt, forwardingOrNull);
  }

  /** This event as the history shows it now: the forwarding state as it stands. */
  public StatusChangedEvent withForwarding(String state) {
    return new StatusChangedEvent(id, tenantId, customerId, verificationId, provider, status, previousStatus, decidedBy,
        reason, occurredAt, recordedAt, state);
  }
}
