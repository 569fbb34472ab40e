package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kychub.model.HubConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  static final byte[] K1 = key(1);
  static final byte[] K2 = key(2);

  static byte[] key(int seed) {
    byte[] k = new byte[32];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (seed * 31 + i);
    }
    return k;
  }

  static SecretBox box(String current, Map<String, byte[]> keys) {
    return new SecretBox(new HubConfig.MasterKeys(current, keys));
  }

  private final byte[] secret = "whsec_very-secret-value".getBytes(StandardCharsets.UTF_8);

  @Test
  void sealedValueOpensToThePlaintextAndHidesIt() {
    SecretBox box = box("k1", Map.of("k1", K1));
    SecretBox.Sealed sealed = box.seal(secret);
    assertThat(sealed.keyId()).isEqualTo("k1");
    assertThat(new String(sealed.blob(), StandardCharsets.ISO_8859_1)).doesNotContain("very-secret");
    assertThat(box.open("k1", sealed.blob())).isEqualTo(secret);
  }

  @Test
  void everySealUsesAFreshNonce() {
    SecretBox box = box("k1", Map.of("k1", K1));
    assertThat(box.seal(secret).blob()).isNotEqualTo(box.seal(secret).blob());
  }

  @Test
  void valuesSealedUnderAnOldKeyStillOpenAfterRotation() {
    SecretBox.Sealed old = box("k1", Map.of("k1", K1)).seal(secret);
    SecretBox rotated = box("k2", Map.of("k2", K2, "k1", K1));
    assertThat(rotated.open(old.keyId(), old.blob())).isEqualTo(secret);
    assertThat(rotated.seal(secret).keyId()).isEqualTo("k2");
  }

  @Test
  void tamperedBlobDoesNotOpen() {
    SecretBox box = box("k1", Map.of("k1", K1));
    byte[] blob = box.seal(secret).blob();
    blob[blob.length - 1] ^= 1;
    assertThatThrownBy(() -> box.open("k1", blob)).isInstanceOf(SecretBox.SealedValueException.class);
  }

  @Test
  void blobRelabelledWithAnotherKeyIdDoesNotOpen() {
    // same key bytes under two ids: only the key id bound as AAD tells them apart
    SecretBox box = box("k1", Map.of("k1", K1, "k9", K1));
    byte[] blob = box.seal(secret).blob();
    assertThatThrownBy(() -> box.open("k9", blob)).isInstanceOf(SecretBox.SealedValueException.class);
  }

  @Test
  void unknownKeyIdFailsWithAMessageThatNamesTheIdButNoKeyMaterial() {
    SecretBox.Sealed sealed = box("k1", Map.of("k1", K1)).seal(secret);
    SecretBox other = box("k2", Map.of("k2", K2));
    assertThatThrownBy(() -> other.open("k1", sealed.blob()))
        .isInstanceOf(SecretBox.SealedValueException.class)
        .hasMessageContaining("'k1'")
        .satisfies(e -> assertThat(e.getMessage())
            .doesNotContain(Base64.getEncoder().encodeToString(K2))
            .doesNotContain(Base64.getEncoder().encodeToString(K1)));
  }

  @Test
  void currentKeyMustBeConfigured() {
    assertThatThrownBy(() -> box("k3", Map.of("k1", K1))).isInstanceOf(IllegalArgumentException.class);
  }
}
