package io.kychub.model;

import io.vertx.core.json.JsonObject;

/** How the hub calls one provider's API for a tenant. {@code apiKey} and {@code clientSecret} are secrets. */
public record ProviderApiSettings(
    String baseUrl, String apiKey, String clientId, String clientSecret, String setupId, String kycUrl) {

  public static final ProviderApiSettings NONE = new ProviderApiSettings(null, null, null, null, null, null);

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
        json.getString("kycUrl"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("baseUrl", baseUrl)
        .put("apiKey", apiKey)
        .put("clientId", clientId)
        .put("clientSecret", clientSecret)
        .put("setupId", setupId)
        .put("kycUrl", kycUrl);
  }

  public JsonObject toMaskedJson() {
    return toJson().put("apiKey", Secrets.mask(apiKey)).put("clientSecret", Secrets.mask(clientSecret));
  }
}
