package io.kychub.stream;

/** The request carries no valid credential for the event stream; answered 401 {@code unauthorized}. */
public final class StreamAccessDenied extends RuntimeException {

  public StreamAccessDenied(String message) {
    super(message, null, false, false);
  }
}
