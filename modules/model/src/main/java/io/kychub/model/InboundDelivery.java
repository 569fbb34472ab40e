package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * A webhook delivery that is already stored in the inbox, on its way to the provider's adapter.
 * The inbox row is the durable copy; this message only saves the adapter a read.
 */
public record InboundDelivery(
    long deliveryId, String tenantId, String provider, Instant receivedAt, Map<String, String> headers, byte[] body) {

  public JsonObject toJson() {
    JsonObject headerJson = new JsonObject();
    headers.forEach((name, value) -> {
      if (value != null) {
        headerJson.put(name, value);
      }
    });
    return new JsonObject()
        .put("deliveryId", deliveryId)
        .put("tenantId", tenantId)
        .put("provider", provider)
        .put("receivedAt", receivedAt.toString())
        .put("headers", headerJson)
        .put("body", Base64.getEncoder().encodeToString(body));
  }

  public static InboundDelivery fromJson(JsonObject json) {
    Map<String, String> headers = new java.util.HashMap<>();
    json.getJsonObject("headers").forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
    return new InboundDelivery(
        json.getLong("deliveryId"),
        json.getString("tenantId"),
        json.getString("provider"),
        Instant.parse(json.getString("receivedAt")),
        headers,
        Base64.getDecoder().decode(json.getString("body")));
  }
}
