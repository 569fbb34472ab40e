package io.kychub.model;

import io.vertx.core.json.JsonObject;

/** Tells every node that a tenant (provider null) or one of its provider credentials changed. */
public record CacheInvalidation(String tenantId, String provider) {

  public JsonObject toJson() {
    return new JsonObject().put("tenantId", tenantId).put("provider", provider);
  }

  public static CacheInvalidation fromJson(JsonObject json) {
    return new CacheInvalidation(json.getString("tenantId"), json.getString("provider"));
  }
}
