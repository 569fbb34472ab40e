package io.kychub.store;

import io.kychub.model.HubConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM sealing of secrets at rest. Every seal uses the current master key and a fresh
 * random nonce; {@link #open} picks the key by id, so values sealed before a rotation still open
 * as long as the old key is configured. The key id is authenticated data: a blob relabelled with
 * another key id does not open.
 */
public final class SecretBox {

  private static final String CIPHER = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  /** A sealed value: the id of the master key and {@code nonce || ciphertext+tag}. */
  public record Sealed(String keyId, byte[] blob) {}

  private final String currentId;
  private final Map<String, SecretKeySpec> keys;
  private final SecureRandom random = new SecureRandom();

  public SecretBox(HubConfig.MasterKeys masterKeys) {
    Map<String, SecretKeySpec> specs = new HashMap<>();
    masterKeys.keys().forEach((id, key) -> {
      if (key == null || key.length != 32) {
        throw new IllegalArgumentException("master key '" + id + "' must be 32 bytes");
      }
      specs.put(id, new SecretKeySpec(key, "AES"));
    });
    if (masterKeys.currentId() == null || !specs.containsKey(masterKeys.currentId())) {
      throw new IllegalArgumentException("master key '" + masterKeys.currentId() + "' is not configured");
    }
    this.currentId = masterKeys.currentId();
    this.keys = Map.copyOf(specs);
  }

  public Sealed seal(byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, currentId, nonce);
      byte[] sealed = cipher.doFinal(plaintext);
      byte[] blob = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
      System.arraycopy(sealed, 0, blob, NONCE_BYTES, sealed.length);
      return new Sealed(currentId, blob);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal with master key '" + currentId + "'", e);
    }
  }

  public byte[] open(String keyId, byte[] blob) {
    if (!keys.containsKey(keyId)) {
      throw new SealedValueException("sealed with master key '" + keyId
          + "', which is not configured (add it to KYC_MASTER_KEYS_PREVIOUS)");
    }
    if (blob == null || blob.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new SealedValueException("sealed value is truncated");
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, keyId, Arrays.copyOf(blob, NONCE_BYTES));
      return cipher.doFinal(blob, NONCE_BYTES, blob.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new SealedValueException("sealed value failed authentication under master key '" + keyId
          + "' (tampered, or the key with this id changed)");
    }
  }

  private Cipher cipher(int mode, String keyId, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(CIPHER);
    cipher.init(mode, keys.get(keyId), new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  /** A sealed value cannot be opened: unknown key id, or it does not authenticate. */
  public static final class SealedValueException extends RuntimeException {
    public SealedValueException(String message) {
      super(message);
    }
  }
}
