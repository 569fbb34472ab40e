package io.kychub.admin;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Provider and scheme names the admin API accepts, with each provider's default webhook scheme.
 * Stands in until {@code io.kychub.providers.ProviderRegistry} can be used here.
 */
final class KnownProviders {

  static final Map<String, String> DEFAULT_SCHEME = Map.of(
      "vivamo", "hmac",
      "sovera", "basic",
      "ripio", "hmac",
      "p100", "token",
      "ondato", "basic");

  static final Set<String> SCHEMES = Set.of("hmac", "basic", "token", "standard-webhooks");

  private KnownProviders() {}

  static boolean known(String provider) {
    return DEFAULT_SCHEME.containsKey(provider);
  }

  static String names() {
    return String.join(", ", new TreeSet<>(DEFAULT_SCHEME.keySet()));
  }
}
