package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.regex.Pattern;

/** An operator sharing the deployment. */
public record Tenant(String id, String name, boolean enabled, ReusePolicy reuse, Instant createdAt) {

  private static final Pattern ID = Pattern.compile("[a-z0-9-]{3,40}");

  public static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("enabled", enabled)
        .put("reuse", reuse.toJson())
        .put("createdAt", createdAt == null ? null : createdAt.toString());
  }
}
