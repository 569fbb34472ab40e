package io.kychub.store;

import io.kychub.model.HubConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bearer credentials the hub issues (API keys, client secrets) carry a short MAC of their random
 * part under a key derived from the master keys. A guessed credential fails that check in memory,
 * so guessing costs the database nothing; only a credential the hub made reaches a lookup. Tags
 * made under a previous master key still check while that key is configured.
 */
public final class CredentialTags {

  static final int RANDOM_BYTES = 32;
  static final int TAG_BYTES = 8;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final List<SecretKeySpec> keys = new ArrayList<>();
  private final SecureRandom random = new SecureRandom();

  public CredentialTags(HubConfig.MasterKeys masterKeys) {
    // The current key first: it tags what is issued now.
    keys.add(derive(masterKeys.current()));
    masterKeys.keys().forEach((id, key) -> {
      if (!id.equals(masterKeys.currentId())) {
        keys.add(derive(key));
      }
    });
  }

  /** A new credential: {@code prefix} + base64url(random || tag). */
  public String issue(String prefix) {
    byte[] raw = new byte[RANDOM_BYTES + TAG_BYTES];
    random.nextBytes(raw);
    System.arraycopy(tag(keys.get(0), prefix, raw), 0, raw, RANDOM_BYTES, TAG_BYTES);
    return prefix + ENCODER.encodeToString(raw);
  }

  /** True when {@code credential} is {@code prefix} + a random part with a tag this hub made. */
  public boolean valid(String prefix, String credential) {
    if (credential == null || !credential.startsWith(prefix) || credential.length() != prefix.length() + 54) {
      return false;
    }
    byte[] raw;
    try {
      raw = DECODER.decode(credential.substring(prefix.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    // Only the one canonical spelling (base64url leaves four bits of the last character unused).
    if (raw.length != RANDOM_BYTES + TAG_BYTES || !ENCODER.encodeToString(raw).equals(credential.substring(prefix.length()))) {
      return false;
    }
    byte[] claimed = Arrays.copyOfRange(raw, RANDOM_BYTES, raw.length);
    boolean match = false;
    for (SecretKeySpec key : keys) {
      match |= MessageDigest.isEqual(tag(key, prefix, raw), claimed);
    }
    return match;
  }

  private static byte[] tag(SecretKeySpec key, String prefix, byte[] raw) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(prefix.getBytes(StandardCharsets.US_ASCII));
      mac.update(raw, 0, RANDOM_BYTES);
      return Arrays.copyOf(mac.doFinal(), TAG_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static SecretKeySpec derive(byte[] masterKey) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(masterKey, "HmacSHA256"));
      return new SecretKeySpec(mac.doFinal("kyc-hub credential tag v1".getBytes(StandardCharsets.US_ASCII)), "HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
