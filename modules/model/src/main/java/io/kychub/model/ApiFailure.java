package io.kychub.model;

/**
 * An expected failure of a request, answered as {@code {"error": code, "message": message}} with
 * its status by the listener's one failure handler. The message is for the caller: it never holds
 * a secret, personal data or another tenant's data.
 */
public final class ApiFailure extends RuntimeException {

  private final int status;
  private final String code;

  public ApiFailure(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ApiFailure badRequest(String message) {
    return new ApiFailure(400, "bad_request", message);
  }

  public static ApiFailure notFound(String message) {
    return new ApiFailure(404, "not_found", message);
  }

  public static ApiFailure unauthorized(String message) {
    return new ApiFailure(401, "unauthorized", message);
  }

  public static ApiFailure conflict(String code, String message) {
    return new ApiFailure(409, code, message);
  }

  public static ApiFailure unavailable(String message) {
    return new ApiFailure(503, "unavailable", message);
  }
}
