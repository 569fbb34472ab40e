package io.kychub.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code Authorization: Bearer <key>}, as {@link ApiKeyAuthenticator#bearer} reads it before any lookup. */
class ApiKeyAuthenticatorTest {

  @Test
  void theKeyIsWhatFollowsBearer() {
    assertThat(ApiKeyAuthenticator.bearer("Bearer kyc_abc")).isEqualTo("kyc_abc");
    assertThat(ApiKeyAuthenticator.bearer("Bearer k")).isEqualTo("k");
  }

  @Test
  void theSchemeIsCaseInsensitive() {
    assertThat(ApiKeyAuthenticator.bearer("bearer kyc_abc")).isEqualTo("kyc_abc");
    assertThat(ApiKeyAuthenticator.bearer("BEARER kyc_abc")).isEqualTo("kyc_abc");
  }

  @Test
  void spacesAroundTheKeyAreDropped() {
    assertThat(ApiKeyAuthenticator.bearer("Bearer   kyc_abc \t")).isEqualTo("kyc_abc");
  }

  @Test
  void anotherSchemeOrNoSchemeIsNoKey() {
    assertThat(ApiKeyAuthenticator.bearer("Basic a3ljX2FiYzo=")).isNull();
    assertThat(ApiKeyAuthenticator.bearer("kyc_abc")).isNull();
    assertThat(ApiKeyAuthenticator.bearer("Bearerkyc_abc")).isNull();
    assertThat(ApiKeyAuthenticator.bearer("Token kyc_abc")).isNull();
  }

  @Test
  void aMissingOrEmptyKeyIsNoKey() {
    assertThat(ApiKeyAuthenticator.bearer(null)).isNull();
    assertThat(ApiKeyAuthenticator.bearer("")).isNull();
    assertThat(ApiKeyAuthenticator.bearer("Bearer")).isNull();
    assertThat(ApiKeyAuthenticator.bearer("Bearer ")).isNull();
    assertThat(ApiKeyAuthenticator.bearer("Bearer     ")).isNull();
  }

  @Test
  void aKeyOver200CharactersIsNoKey() {
    assertThat(ApiKeyAuthenticator.bearer("Bearer " + "k".repeat(200))).isEqualTo("k".repeat(200));
    assertThat(ApiKeyAuthenticator.bearer("Bearer " + "k".repeat(201))).isNull();
  }
}
