package io.kychub.providers.support;

import io.kychub.providers.MalformedWebhookException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Reading provider JSON leniently: field names match case-insensitively (Ondato sends both
 * {@code Payload} and {@code payload}) and scalar ids may arrive as numbers or strings.
 */
public final class JsonFields {

  private JsonFields() {}

  /**
   * The body as a JSON object.
   *
   * @throws MalformedWebhookException when the body is not JSON or not an object; the message
   *     never quotes the body
   */
  public static JsonObject parseObject(byte[] body, String provider) throws MalformedWebhookException {
    Object value;
    try {
      value = Json.decodeValue(Buffer.buffer(body));
    } catch (DecodeException e) {
      throw new MalformedWebhookException(provider + " webhook body is not valid JSON");
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw new MalformedWebhookException(provider + " webhook body is not a JSON object");
  }

  /** The value of the first of {@code names} present, matched exactly first, then ignoring case. */
  public static Object value(JsonObject json, String... names) {
    if (json == null) {
      return null;
    }
    for (String name : names) {
      Object exact = json.getValue(name);
      if (exact != null) {
        return exact;
      }
      // Over the names only: iterating the JsonObject itself wraps every nested value on the way.
      for (String key : json.fieldNames()) {
        if (key.equalsIgnoreCase(name)) {
          Object value = json.getValue(key);
          if (value != null) {
            return value;
          }
        }
      }
    }
    return null;
  }

  /** The first of {@code names} holding a non-blank string, number or boolean, as trimmed text. */
  public static String text(JsonObject json, String... names) {
    for (String name : names) {
      Object v = value(json, name);
      if (v instanceof String || v instanceof Number || v instanceof Boolean) {
        String s = String.valueOf(v).trim();
        if (!s.isEmpty()) {
          return s;
        }
      }
    }
    return null;
  }

  /** The first of {@code names} holding a JSON object, or null. */
  public static JsonObject object(JsonObject json, String... names) {
    for (String name : names) {
      Object v = value(json, name);
      // JsonObject wraps nested maps on read, so a nested object always arrives as JsonObject
      if (v instanceof JsonObject o) {
        return o;
      }
    }
    return null;
  }

  /**
   * Like {@link #text}, but a missing value means the body is not what the provider sends.
   *
   * @param what names the field in the error message, e.g. {@code "metadata.userId"}
   */
  public static String requireText(JsonObject json, String provider, String what, String... names)
      throws MalformedWebhookException {
    String value = text(json, names);
    if (value == null) {
      throw new MalformedWebhookException(provider + " webhook lacks " + what);
    }
    return value;
  }
}
