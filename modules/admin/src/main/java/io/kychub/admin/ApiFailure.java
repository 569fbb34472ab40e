package io.kychub.admin;

/** An expected failure of an admin request, answered as {@code {"error": code, "message": message}}. */
final class ApiFailure extends RuntimeException {

  final int status;
  final String code;

  private ApiFailure(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ApiFailure badRequest(String message) {
    return new ApiFailure(400, "bad_request", message);
  }

  static ApiFailure notFound(String message) {
    return new ApiFailure(404, "not_found", message);
  }
}
