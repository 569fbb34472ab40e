package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** One live shared secret of a credential; it authenticates until {@code notAfter} (null = no end). */
public record SecretValue(String value, Instant notAfter) {

  public boolean liveAt(Instant now) {
    return notAfter == null || now.isBefore(notAfter);
  }

  /** Accepts a plain string or {@code {"value": "...", "notAfter": "<ISO-8601>"}}. */
  public static SecretValue parse(Object entry) {
    if (entry instanceof String s) {
      return new SecretValue(requireValue(s), null);
    }
    if (entry instanceof JsonObject o) {
      String at = o.getString("notAfter");
      try {
        return new SecretValue(requireValue(o.getString("value")), at == null ? null : Instant.parse(at));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("secrets[].notAfter must be an ISO-8601 instant");
      }
    }
    throw new IllegalArgumentException("secrets[] entries must be strings or {value, notAfter} objects");
  }

  private static String requireValue(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("secrets[] entries must not be empty");
    }
    return value;
  }

  public JsonObject toJson() {
    return new JsonObject().put("value", value).put("notAfter", notAfter == null ? null : notAfter.toString());
  }

  public JsonObject toMaskedJson() {
    return new JsonObject().put("value", Secrets.mask(value)).put("notAfter", notAfter == null ? null : notAfter.toString());
  }
}
