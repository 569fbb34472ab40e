package io.kychub.providers.api;

/**
 * What a provider answered to a start.
 *
 * @param providerReference the provider's id of the verification (Ondato's IDV id), or null
 * @param url the link to hand the customer, or null
 * @param clientSecret a secret for the provider's browser SDK (Vivamo's clientSecretKey), or null
 */
public record StartedVerification(String providerReference, String url, String clientSecret) {
  @Override
  public String toString() {
    return "StartedVerification[ref=" + providerReference + ", url=" + (url != null) + "]";
  }
}
