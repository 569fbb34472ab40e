package io.kychub.providers;

/** The body is not what the provider sends (answered 400). The message never quotes secrets. */
public class MalformedWebhookException extends Exception {
  public MalformedWebhookException(String message) {
    super(message, null, false, false);
  }
}
