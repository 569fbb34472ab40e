package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.HubConfig.MasterKeys;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialTagsTest {

  private final CredentialTags k1 = new CredentialTags(new MasterKeys("k1", Map.of("k1", SecretBoxTest.K1)));

  @Test
  void issuedCredentialsCheckAndGuessesDoNot() {
    String secret = k1.issue("cs_");
    assertThat(secret).matches("cs_[A-Za-z0-9_-]{54}");
    assertThat(k1.valid("cs_", secret)).isTrue();
    assertThat(k1.valid("kyc_", "kyc_" + secret.substring(3))).as("the prefix is part of the tag").isFalse();
    char middle = secret.charAt(20);
    assertThat(k1.valid("cs_", secret.substring(0, 20) + (middle == 'A' ? 'B' : 'A') + secret.substring(21))).isFalse();
    // The last character's unused bits changed: the same bytes, another spelling, refused.
    char last = secret.charAt(secret.length() - 1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char sameBytes = alphabet.charAt(alphabet.indexOf(last) ^ 1);
    assertThat(k1.valid("cs_", secret.substring(0, secret.length() - 1) + sameBytes)).isFalse();
    assertThat(k1.valid("cs_", "cs_forged")).isFalse();
    assertThat(k1.valid("cs_", "cs_" + "!".repeat(54))).isFalse();
    assertThat(k1.valid("cs_", null)).isFalse();
  }

  @Test
  void tagsMadeUnderAPreviousMasterKeyStillCheck() {
    String old = k1.issue("kyc_");
    CredentialTags rotated = new CredentialTags(new MasterKeys("k2", Map.of("k2", SecretBoxTest.K2, "k1", SecretBoxTest.K1)));
    assertThat(rotated.valid("kyc_", old)).isTrue();
    assertThat(rotated.valid("kyc_", rotated.issue("kyc_"))).isTrue();
    assertThat(k1.valid("kyc_", rotated.issue("kyc_"))).as("k1 alone cannot check a k2 tag").isFalse();
  }
}
