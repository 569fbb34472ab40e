package io.kychub.model;

import io.vertx.core.json.JsonObject;

/**
 * How the hub calls one provider's API for a tenant. {@code apiKey} and {@code clientSecret} are
 * secrets. {@code tokenUrl} is the OAuth token endpoint of providers that issue access tokens
 * from a separate host (Ondato's identity server); null means {@code baseUrl + /connect/token}.
 */
public record ProviderApiSettings(
    String baseUrl, String apiKey, String clientId, String clientSecret, String setupId, String kycUrl, String tokenUrl) {

  public static final ProviderApiSettings NONE = new ProviderApiSettings(null, null, null, null, null, null, null);

  /** Settings without a separate token endpoint. */
  public ProviderApiSettings(String baseUrl, String apiKey, String clientId, String clientSecret, String setupId,
      String kycUrl) {
    this(baseUrl, apiKey, clientId, clientSecret, setupId, kycUrl, null);
  }

  public static ProviderApiSettings fromJson(JsonObject json) {
    if (json == null) {
      return NONE;
    }
    return new ProviderApiSettings(
        json.getString("baseUrl"),
        json.getString("apiKey"),
        json.getString("clientId"),
        json.getString("clientSecret"),
        json.getString("setupId"),
        json.getString("kycUrl"),
        json.getString("tokenUrl"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("baseUrl", baseUrl)
        .put("apiKey", apiKey)
        .put("clientId", clientId)
        .put("clientSecret", clientSecret)
        .put("setupId", setupId)
        .put("kycUrl", kycUrl)
        .put("tokenUrl", tokenUrl);
  }

  public JsonObject toMaskedJson() {
    return toJson().put("apiKey", Secrets.mask(apiKey)).put("clientSecret", Secrets.mask(clientSecret));
  }
}
