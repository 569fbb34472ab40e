package io.kychub.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void customerIdsAreOneTo128CharactersWithoutControlCharacters() {
    assertThat(Ids.validCustomer("cust-1")).isTrue();
    assertThat(Ids.validCustomer("Zoë 42 / ünïcode")).isTrue();
    assertThat(Ids.validCustomer("x".repeat(128))).isTrue();
    assertThat(Ids.validCustomer("x".repeat(129))).isFalse();
    assertThat(Ids.validCustomer("")).isFalse();
    assertThat(Ids.validCustomer(null)).isFalse();
    assertThat(Ids.validCustomer("a\u0000b")).isFalse();
    assertThat(Ids.validCustomer("a\nb")).isFalse();
    assertThat(Ids.validCustomer("a\u007fb")).isFalse();
    assertThat(Ids.validCustomer("a\u0085b")).as("C1 control").isFalse();
  }

  @Test
  void loneSurrogatesAreRefusedAndPairsAreFine() {
    assertThat(Ids.validCustomer("emoji-\uD83D\uDE00")).isTrue();
    assertThat(Ids.validCustomer("half-\uD83D")).isFalse();
    assertThat(Ids.validCustomer("\uDE00-other-half")).isFalse();
    assertThat(Ids.validCustomer("\uD83Dx")).isFalse();
  }

  @Test
  void apiKeyIdsAndTenantIdsHaveTheirShape() {
    assertThat(Ids.validApiKeyId("ak_AbC-_01234567")).as("13 characters").isFalse();
    assertThat(Ids.validApiKeyId("ak_AbC-_0123456")).isTrue();
    assertThat(Ids.validApiKeyId("ak_unknown")).isFalse();
    assertThat(Ids.validApiKeyId("ak_\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000")).isFalse();
    assertThat(Ids.validTenant("acme")).isTrue();
    assertThat(Ids.validTenant("\u0000")).isFalse();
  }
}
