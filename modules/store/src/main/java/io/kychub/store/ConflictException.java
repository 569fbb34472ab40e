package io.kychub.store;

/** The row already exists (answered 409). */
public class ConflictException extends RuntimeException {
  public ConflictException(String message) {
    super(message, null, false, false);
  }
}
