package io.kychub.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kychub.providers.ondato.OndatoAdapter;
import io.kychub.providers.sovera.SoveraAdapter;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

  private final ProviderRegistry registry = ProviderRegistry.standard();

  @Test
  void standardRegistryHoldsTheFiveProviders() {
    assertThat(registry.names()).containsExactly("vivamo", "sovera", "ripio", "p100", "ondato");
  }

  @Test
  void findReturnsTheAdapterByItsName() {
    assertThat(registry.find("ondato")).get().isInstanceOf(OndatoAdapter.class);
    for (String name : registry.names()) {
      assertThat(registry.find(name)).get().extracting(ProviderAdapter::name).isEqualTo(name);
    }
  }

  @Test
  void unknownOrDifferentlyCasedNamesAreNotFound() {
    assertThat(registry.find("acme")).isEmpty();
    assertThat(registry.find("Ondato")).isEmpty();
    assertThat(registry.find(null)).isEmpty();
  }

  @Test
  void everyDefaultAuthUsesAKnownScheme() {
    for (String name : registry.names()) {
      assertThat(io.kychub.providers.auth.WebhookAuthenticator.SCHEMES)
          .contains(registry.find(name).orElseThrow().defaultAuth().scheme());
    }
  }

  @Test
  void duplicateNamesAreRefused() {
    assertThatThrownBy(() -> ProviderRegistry.of(new SoveraAdapter(), new SoveraAdapter()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
