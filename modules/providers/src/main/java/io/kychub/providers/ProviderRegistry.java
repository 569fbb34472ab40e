package io.kychub.providers;

import io.kychub.providers.ondato.OndatoAdapter;
import io.kychub.providers.p100.P100Adapter;
import io.kychub.providers.ripio.RipioAdapter;
import io.kychub.providers.sovera.SoveraAdapter;
import io.kychub.providers.vivamo.VivamoAdapter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The provider adapters the hub knows, by lowercase name. */
public final class ProviderRegistry {

  private final Map<String, ProviderAdapter> adapters;

  private ProviderRegistry(Map<String, ProviderAdapter> adapters) {
    this.adapters = Collections.unmodifiableMap(adapters);
  }

  /** Every provider the hub ships with; adding a provider adds one line here. */
  public static ProviderRegistry standard() {
    return of(
        new VivamoAdapter(),
        new SoveraAdapter(),
        new RipioAdapter(),
        new P100Adapter(),
        new OndatoAdapter());
  }

  /** A registry of exactly these adapters (tests, or a node serving a subset). */
  public static ProviderRegistry of(ProviderAdapter... adapters) {
    Map<String, ProviderAdapter> byName = new LinkedHashMap<>();
    for (ProviderAdapter adapter : adapters) {
      if (byName.putIfAbsent(adapter.name(), adapter) != null) {
        throw new IllegalArgumentException("two adapters named " + adapter.name());
      }
    }
    return new ProviderRegistry(byName);
  }

  /** The adapter for a provider name from a path; names are lowercase, so lookup is exact. */
  public Optional<ProviderAdapter> find(String name) {
    return Optional.ofNullable(name == null ? null : adapters.get(name));
  }

  /** The provider names in registration order. */
  public Set<String> names() {
    return adapters.keySet();
  }
}
