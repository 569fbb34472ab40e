package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * A verification a status change opens: a provider session the hub started, or a reuse of another
 * verification ({@code reusedFromOrNull}).
 */
public record NewVerification(UUID id, String providerRefOrNull, String urlOrNull, UUID reusedFromOrNull,
    Instant expiresAtOrNull) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("providerRef", providerRefOrNull).put("url", urlOrNull)
        .put("reusedFrom", reusedFromOrNull == null ? null : reusedFromOrNull.toString())
        .put("expiresAt", expiresAtOrNull == null ? null : expiresAtOrNull.toString());
  }

  public static NewVerification fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    String from = json.getString("reusedFrom");
    String expires = json.getString("expiresAt");
    return new NewVerification(UUID.fromString(json.getString("id")), json.getString("providerRef"), json.getString("url"),
        from == null ? null : UUID.fromString(from), expires == null ? null : Instant.parse(expires));
  }
}
