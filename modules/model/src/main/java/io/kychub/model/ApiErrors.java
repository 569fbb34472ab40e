package io.kychub.model;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** The one error shape of every HTTP answer: {@code {"error": code, "message": text}}. */
public final class ApiErrors {

  private ApiErrors() {}

  public static Future<Void> send(HttpServerResponse response, ApiFailure failure) {
    return send(response, failure.status(), failure.code(), failure.getMessage());
  }

  public static Future<Void> send(HttpServerResponse response, int status, String error, String message) {
    if (response.ended() || response.closed()) {
      return Future.succeededFuture();
    }
    if (response.headWritten()) {
      return response.end();
    }
    return response
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", error).put("message", message).encode());
  }
}
