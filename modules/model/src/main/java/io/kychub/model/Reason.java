package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** Why a verification ended where it did: a normalised code plus the provider's own text. */
public record Reason(ReasonCode code, String detail) {

  public Reason {
    Objects.requireNonNull(code, "code");
  }

  public static Reason of(ReasonCode code, String detail) {
    return new Reason(code, detail);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("code", code.name());
    if (detail != null) {
      json.put("detail", detail);
    }
    return json;
  }

  public static Reason fromJson(JsonObject json) {
    return json == null ? null : new Reason(ReasonCode.valueOf(json.getString("code")), json.getString("detail"));
  }
}
