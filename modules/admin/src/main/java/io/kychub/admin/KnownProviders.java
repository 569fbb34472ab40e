package io.kychub.admin;

import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.auth.WebhookAuthenticator;
import java.util.Set;
import java.util.TreeSet;

/** Provider and scheme names the admin API accepts, from the provider registry. */
final class KnownProviders {

  static final Set<String> SCHEMES = WebhookAuthenticator.SCHEMES;
  private static final ProviderRegistry REGISTRY = ProviderRegistry.standard();

  private KnownProviders() {}

  static boolean known(String provider) {
    return REGISTRY.find(provider).isPresent();
  }

  /** The provider's own webhook scheme (used when a credential names none). */
  static String defaultScheme(String provider) {
    return REGISTRY.find(provider).orElseThrow().defaultAuth().scheme();
  }

  static String names() {
    return String.join(", ", new TreeSet<>(REGISTRY.names()));
  }
}
