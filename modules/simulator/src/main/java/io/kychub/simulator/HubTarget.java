package io.kychub.simulator;

import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.auth.WebhookAuthenticator;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a simulator sends one tenant's webhooks ({@code {hubUrl}/webhooks/{tenant}/{provider}})
 * and how it signs them: the tenant's secret plus the tenant's credential settings, which leave
 * open what the provider's default scheme decides (as in the hub).
 *
 * @param auth the tenant's webhook authentication settings without secrets (scheme override,
 *     Basic username, header ...); its null fields take the provider's defaults
 */
public record HubTarget(String hubUrl, String tenant, String secret, WebhookAuthConfig auth) {

  public HubTarget {
    Objects.requireNonNull(hubUrl, "hubUrl");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(secret, "secret");
    auth = auth == null ? WebhookAuthConfig.fromJson(null) : auth;
  }

  /** The provider's default scheme with this secret. */
  public static HubTarget of(String hubUrl, String tenant, String secret) {
    return new HubTarget(hubUrl, tenant, secret, null);
  }

  /** From {@code {hub, tenant, secret, username?, scheme?, header?, algorithm?, encoding?, prefix?}}. */
  public static HubTarget fromJson(JsonObject json) {
    for (String field : List.of("hub", "tenant", "secret")) {
      if (json.getString(field) == null) {
        throw new IllegalArgumentException(field + " is required");
      }
    }
    return new HubTarget(json.getString("hub"), json.getString("tenant"), json.getString("secret"),
        WebhookAuthConfig.fromJson(json));
  }

  /** The Basic username (Sovera, Ondato, or any tenant that chose {@code basic}). */
  public HubTarget withUsername(String username) {
    return new HubTarget(hubUrl, tenant, secret, new WebhookAuthConfig(auth.scheme(), List.of(), username,
        auth.header(), auth.algorithm(), auth.encoding(), auth.prefix(), List.of(), auth.toleranceSeconds()));
  }

  /** A scheme other than the provider's default, such as {@code standard-webhooks}. */
  public HubTarget withScheme(String scheme) {
    return new HubTarget(hubUrl, tenant, secret, new WebhookAuthConfig(scheme, List.of(), auth.username(),
        auth.header(), auth.algorithm(), auth.encoding(), auth.prefix(), List.of(), auth.toleranceSeconds()));
  }

  /** The scheme as the hub will check it: these settings over the provider's default. */
  WebhookAuthConfig effective(WebhookAuthConfig providerDefault) {
    WebhookAuthConfig effective = auth.withDefaults(providerDefault);
    String scheme = effective.scheme() == null ? "" : effective.scheme().toLowerCase(Locale.ROOT);
    if (scheme.equals(WebhookAuthenticator.BASIC) && effective.username() == null) {
      throw new IllegalArgumentException("tenant " + tenant + ": Basic authentication needs a username");
    }
    if (scheme.equals(WebhookAuthenticator.HMAC) && effective.header() == null) {
      throw new IllegalArgumentException("tenant " + tenant + ": hmac authentication needs a header");
    }
    return effective;
  }

  String webhookUrl(String provider) {
    String base = hubUrl.endsWith("/") ? hubUrl.substring(0, hubUrl.length() - 1) : hubUrl;
    return base + "/webhooks/" + tenant + "/" + provider;
  }

  @Override
  public String toString() {
    return "HubTarget[" + hubUrl + ", tenant=" + tenant + ", scheme=" + auth.scheme() + "]";
  }
}
