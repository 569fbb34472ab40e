package io.kychub.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The status changes of one unit of work for the decision path: the canonical updates an adapter
 * made of one stored delivery ({@code deliveryId > 0}, applied exactly once), or a change the hub
 * makes itself (a start, a manual decision, a reuse, an expiry; {@code deliveryId} 0).
 */
public record UpdateBatch(
    long deliveryId, String tenantId, String provider, Instant receivedAt, List<StatusChange> changes) {

  public UpdateBatch {
    changes = List.copyOf(changes);
  }

  /** A stored delivery's updates, each ordered by the provider rules. */
  public static UpdateBatch ofDelivery(long deliveryId, String tenantId, String provider, Instant receivedAt,
      List<CanonicalUpdate> updates) {
    return new UpdateBatch(deliveryId, tenantId, provider, receivedAt, updates.stream().map(StatusChange::fromProvider).toList());
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    changes.forEach(c -> list.add(c.toJson()));
    return new JsonObject()
        .put("deliveryId", deliveryId)
        .put("tenantId", tenantId)
        .put("provider", provider)
        .put("receivedAt", receivedAt.toString())
        .put("changes", list);
  }

  public static UpdateBatch fromJson(JsonObject json) {
    List<StatusChange> changes = json.getJsonArray("changes").stream()
        .map(o -> StatusChange.fromJson((JsonObject) o))
        .toList();
    return new UpdateBatch(
        json.getLong("deliveryId"),
        json.getString("tenantId"),
        json.getString("provider"),
        Instant.parse(json.getString("receivedAt")),
        changes);
  }
}
