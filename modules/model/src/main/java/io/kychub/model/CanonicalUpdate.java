package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One status update as a provider adapter understood it.
 *
 * @param subject the customer id, or the provider reference when {@code subjectKind} says so
 * @param occurredAt the provider's own time of the event, or null when the provider sends none
 *     (then ordering falls back to arrival order)
 */
public record CanonicalUpdate(
    String subject,
    SubjectKind subjectKind,
    KycStatus status,
    DecidedBy decidedBy,
    Reason reason,
    Instant occurredAt) {

  public CanonicalUpdate {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(subjectKind, "subjectKind");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(decidedBy, "decidedBy");
  }

  /** How far ahead of the hub's clock a provider's time may be and still order updates. */
  public static final Duration MAX_FUTURE = Duration.ofMinutes(5);

  /**
   * This update as the ordering rules see it: a provider time more than {@link #MAX_FUTURE} after
   * the hub received it cannot be trusted (one such update would make every later one stale), so
   * the receive time stands in. The recorded event keeps what the provider said.
   */
  public CanonicalUpdate orderedAsOf(Instant receivedAt) {
    if (occurredAt == null || receivedAt == null || !occurredAt.isAfter(receivedAt.plus(MAX_FUTURE))) {
      return this;
    }
    return new CanonicalUpdate(subject, subjectKind, status, decidedBy, reason, receivedAt);
  }

  public static CanonicalUpdate forCustomer(String customerId, KycStatus status, Reason reason, Instant occurredAt) {
    return new CanonicalUpdate(customerId, SubjectKind.CUSTOMER, status, DecidedBy.PROVIDER, reason, occurredAt);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("subject", subject)
        .put("subjectKind", subjectKind.name())
        .put("status", status.wire())
        .put("decidedBy", decidedBy.wire());
    if (reason != null) {
      json.put("reason", reason.toJson());
    }
    if (occurredAt != null) {
      json.put("occurredAt", occurredAt.toString());
    }
    return json;
  }

  public static CanonicalUpdate fromJson(JsonObject json) {
    String at = json.getString("occurredAt");
    return new CanonicalUpdate(
        json.getString("subject"),
        SubjectKind.valueOf(json.getString("subjectKind")),
        KycStatus.fromWire(json.getString("status")),
        DecidedBy.fromWire(json.getString("decidedBy")),
        Reason.fromJson(json.getJsonObject("reason")),
        at == null ? null : Instant.parse(at));
  }
}
