package io.kychub.providers.api;

/**
 * A provider API call failed, and whose side it is on: the hub lacks the settings to make it
 * ({@link Kind#NOT_CONFIGURED}: no provider was called), the provider answered 4xx ({@link
 * Kind#REFUSED}: retrying will not help), or the provider is unavailable (5xx, timeout, a broken
 * answer: {@link Kind#UNAVAILABLE}).
 */
public class ProviderApiException extends RuntimeException {

  /** Whose side a failure is on. */
  public enum Kind {
    NOT_CONFIGURED, REFUSED, UNAVAILABLE
  }

  private final Kind kind;
  private final int status;

  public ProviderApiException(Kind kind, int status, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.status = status;
  }

  public static ProviderApiException notConfigured(String message) {
    return new ProviderApiException(Kind.NOT_CONFIGURED, 0, message);
  }

  public static ProviderApiException refused(int status, String message) {
    return new ProviderApiException(Kind.REFUSED, status, message);
  }

  public static ProviderApiException unavailable(int status, String message) {
    return new ProviderApiException(Kind.UNAVAILABLE, status, message);
  }

  public Kind kind() {
    return kind;
  }

  /** The provider answered 4xx. */
  public boolean refused() {
    return kind == Kind.REFUSED;
  }

  /** The provider's HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }
}
