package io.kychub.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** The canonical updates an adapter made of one stored delivery, for the reconciler. */
public record UpdateBatch(
    long deliveryId, String tenantId, String provider, Instant receivedAt, List<CanonicalUpdate> updates) {

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    updates.forEach(u -> list.add(u.toJson()));
    return new JsonObject()
        .put("deliveryId", deliveryId)
        .put("tenantId", tenantId)
        .put("provider", provider)
        .put("receivedAt", receivedAt.toString())
        .put("updates", list);
  }

  public static UpdateBatch fromJson(JsonObject json) {
    List<CanonicalUpdate> updates = json.getJsonArray("updates").stream()
        .map(o -> CanonicalUpdate.fromJson((JsonObject) o))
        .toList();
    return new UpdateBatch(
        json.getLong("deliveryId"),
        json.getString("tenantId"),
        json.getString("provider"),
        Instant.parse(json.getString("receivedAt")),
        updates);
  }
}
