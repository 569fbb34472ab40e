package io.kychub.providers;

import io.kychub.model.WebhookAuthConfig;

/** The name and default webhook authentication every adapter has; the rest is the provider's. */
public abstract class AbstractAdapter implements ProviderAdapter {

  private final String name;
  private final WebhookAuthConfig defaultAuth;

  protected AbstractAdapter(String name, WebhookAuthConfig defaultAuth) {
    this.name = name;
    this.defaultAuth = defaultAuth;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final WebhookAuthConfig defaultAuth() {
    return defaultAuth;
  }
}
