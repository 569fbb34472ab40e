package io.kychub.api;

import io.kychub.model.ApiFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.TreeSet;

/** Operator API request bodies: a JSON object ({} when empty) with only the fields a route knows. */
final class Bodies {

  private Bodies() {}

  /** The body, or an {@link ApiFailure} (400) when it is not a JSON object or names a field not in {@code known}. */
  static JsonObject object(RoutingContext ctx, Collection<String> known) {
    Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      return new JsonObject();
    }
    JsonObject body;
    try {
      body = new JsonObject(raw);
    } catch (DecodeException | ClassCastException e) {
      throw ApiFailure.badRequest("the body must be a JSON object");
    }
    TreeSet<String> unknown = new TreeSet<>(body.fieldNames());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw ApiFailure.badRequest("unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
          + "; this body takes " + String.join(", ", known));
    }
    return body;
  }
}
