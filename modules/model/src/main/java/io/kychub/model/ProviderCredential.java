package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A tenant's settings for one provider: webhook authentication and API access. */
public record ProviderCredential(
    String tenantId,
    String provider,
    boolean enabled,
    WebhookAuthConfig webhookAuth,
    ProviderApiSettings api,
    Instant updatedAt) {

  /** The full document, secrets included: only ever stored encrypted. */
  public JsonObject toSecretJson() {
    return new JsonObject()
        .put("enabled", enabled)
        .put("webhookAuth", webhookAuth.toJson())
        .put("api", api.toJson());
  }

  /** What an API may show: every secret masked. */
  public JsonObject toMaskedJson() {
    return new JsonObject()
        .put("tenantId", tenantId)
        .put("provider", provider)
        .put("enabled", enabled)
        .put("webhookAuth", webhookAuth.toMaskedJson())
        .put("api", api.toMaskedJson())
        .put("updatedAt", updatedAt == null ? null : updatedAt.toString());
  }

  public static ProviderCredential fromJson(String tenantId, String provider, JsonObject json, Instant updatedAt) {
    return new ProviderCredential(
        tenantId,
        provider,
        json.getBoolean("enabled", true),
        WebhookAuthConfig.fromJson(json.getJsonObject("webhookAuth")),
        ProviderApiSettings.fromJson(json.getJsonObject("api")),
        updatedAt);
  }

  @Override
  public String toString() {
    return "ProviderCredential[" + tenantId + "/" + provider + ", enabled=" + enabled + "]";
  }
}
