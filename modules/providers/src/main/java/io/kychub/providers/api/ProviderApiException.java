package io.kychub.providers.api;

/**
 * A provider API call failed. {@code refused}: the provider answered 4xx (bad settings or
 * request; retrying will not help); otherwise the provider is unavailable.
 */
public class ProviderApiException extends RuntimeException {

  private final boolean refused;
  private final int status;

  public ProviderApiException(boolean refused, int status, String message) {
    super(message, null, false, false);
    this.refused = refused;
    this.status = status;
  }

  public boolean refused() {
    return refused;
  }

  /** The provider's HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }
}
