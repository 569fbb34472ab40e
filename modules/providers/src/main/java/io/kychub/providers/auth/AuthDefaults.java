package io.kychub.providers.auth;

import io.kychub.model.WebhookAuthConfig;
import java.util.List;

/** Builders for a provider's default webhook authentication; secrets always come from the tenant. */
public final class AuthDefaults {

  private AuthDefaults() {}

  public static WebhookAuthConfig hmac(String headers, String algorithm, String encoding, String prefix) {
    return new WebhookAuthConfig(WebhookAuthenticator.HMAC, List.of(), null, headers, algorithm, encoding, prefix, List.of(), null);
  }

  public static WebhookAuthConfig basic() {
    return new WebhookAuthConfig(WebhookAuthenticator.BASIC, List.of(), null, null, null, null, null, List.of(), null);
  }

  public static WebhookAuthConfig token(String header, String prefix) {
    return new WebhookAuthConfig(WebhookAuthenticator.TOKEN, List.of(), null, header, null, null, prefix, List.of(), null);
  }
}
