package io.kychub.providers.auth;

import io.kychub.model.RawWebhook;
import io.kychub.model.SecretValue;
import io.kychub.model.WebhookAuthConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates a raw webhook against a tenant's credential. Works on the received bytes only
 * (the body is hashed, never parsed), compares in constant time, and tries every secret that is
 * live at {@code now}, so a rotated secret keeps working until its {@code notAfter}.
 */
public final class WebhookAuthenticator {

  public static final String HMAC = "hmac";
  public static final String BASIC = "basic";
  public static final String TOKEN = "token";
  public static final String STANDARD_WEBHOOKS = "standard-webhooks";
  public static final Set<String> SCHEMES = Set.of(HMAC, BASIC, TOKEN, STANDARD_WEBHOOKS);

  static final int DEFAULT_TOLERANCE_SECONDS = 300;
  private static final String WHSEC_PREFIX = "whsec_";

  /**
   * @param effective the tenant's credential with the provider's defaults already applied
   */
  public AuthResult verify(WebhookAuthConfig effective, RawWebhook webhook, Instant now) {
    String scheme = effective.scheme() == null ? "" : effective.scheme().trim().toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(scheme)) {
      return AuthResult.UNKNOWN_SCHEME;
    }
    if (!IpAllowList.allows(effective.allowCidrs(), webhook.remoteIp())) {
      return AuthResult.IP_NOT_ALLOWED;
    }
    List<String> secrets = effective.secrets().stream().filter(s -> s.liveAt(now)).map(SecretValue::value).toList();
    if (secrets.isEmpty()) {
      return AuthResult.NO_LIVE_SECRET;
    }
    return switch (scheme) {
      case HMAC -> hmac(effective, webhook, secrets);
      case BASIC -> basic(effective, webhook, secrets);
      case TOKEN -> token(effective, webhook, secrets);
      default -> standardWebhooks(effective, webhook, secrets, now);
    };
  }

  private static AuthResult hmac(WebhookAuthConfig auth, RawWebhook webhook, List<String> secrets) {
    String algorithm = macAlgorithm(auth.algorithm());
    String encoding = auth.encoding() == null ? "hex" : auth.encoding().trim().toLowerCase(Locale.ROOT);
    if (algorithm == null || auth.header() == null || !(encoding.equals("hex") || encoding.equals("base64"))) {
      return AuthResult.MISCONFIGURED;
    }
    String received = firstHeader(webhook, auth.header());
    if (received == null) {
      return AuthResult.MISSING_SIGNATURE;
    }
    String signature = stripPrefix(received.trim(), auth.prefix());
    byte[] claimed = encoding.equals("hex") ? decodeHex(signature) : decodeBase64(signature);
    if (claimed == null) {
      return AuthResult.BAD_SIGNATURE;
    }
    boolean match = false;
    for (String secret : secrets) {
      // no early exit: the time taken must not tell which secret, if any, matched
      match |= MessageDigest.isEqual(mac(algorithm, secret.getBytes(StandardCharsets.UTF_8), webhook.body()), claimed);
    }
    return match ? AuthResult.OK : AuthResult.BAD_SIGNATURE;
  }

  private static AuthResult basic(WebhookAuthConfig auth, RawWebhook webhook, List<String> secrets) {
    if (auth.username() == null) {
      return AuthResult.MISCONFIGURED;
    }
    String header = webhook.header("Authorization");
    if (header == null || header.isBlank()) {
      return AuthResult.MISSING_CREDENTIALS;
    }
    String value = header.trim();
    if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
      return AuthResult.BAD_CREDENTIALS;
    }
    byte[] decoded = decodeBase64(value.substring(6).trim());
    String pair = decoded == null ? null : new String(decoded, StandardCharsets.UTF_8);
    int colon = pair == null ? -1 : pair.indexOf(':');
    if (colon < 0) {
      return AuthResult.BAD_CREDENTIALS;
    }
    boolean userMatches = equalsConstantTime(pair.substring(0, colon), auth.username());
    boolean passwordMatches = anyEqualsConstantTime(pair.substring(colon + 1), secrets);
    return userMatches && passwordMatches ? AuthResult.OK : AuthResult.BAD_CREDENTIALS;
  }

  private static AuthResult token(WebhookAuthConfig auth, RawWebhook webhook, List<String> secrets) {
    String received = firstHeader(webhook, auth.header() == null ? "Authorization" : auth.header());
    if (received == null || received.isBlank()) {
      return AuthResult.MISSING_CREDENTIALS;
    }
    String token = stripPrefix(received.trim(), auth.prefix());
    if (token.isEmpty()) {
      // "Authorization: Bearer" alone carries no token: it must never match a secret that is only a prefix
      return AuthResult.MISSING_CREDENTIALS;
    }
    // a secret stored with its prefix ("Bearer abc") is the same token as "abc"; one that is nothing but the prefix matches nothing
    List<String> expected = secrets.stream().map(s -> stripPrefix(s.trim(), auth.prefix())).filter(s -> !s.isEmpty()).toList();
    return anyEqualsConstantTime(token, expected) ? AuthResult.OK : AuthResult.BAD_CREDENTIALS;
  }

  private static AuthResult standardWebhooks(
      WebhookAuthConfig auth, RawWebhook webhook, List<String> secrets, Instant now) {
    String id = webhook.header("webhook-id");
    String timestamp = webhook.header("webhook-timestamp");
    String signatures = webhook.header("webhook-signature");
    if (id == null || timestamp == null || signatures == null) {
      return AuthResult.MISSING_SIGNATURE;
    }
    long sentAt;
    try {
      sentAt = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return AuthResult.INVALID_TIMESTAMP;
    }
    long tolerance = auth.toleranceSeconds() == null ? DEFAULT_TOLERANCE_SECONDS : auth.toleranceSeconds();
    if (sentAt < now.getEpochSecond() - tolerance || sentAt > now.getEpochSecond() + tolerance) {
      return AuthResult.STALE_TIMESTAMP;
    }
    List<byte[]> claimed = new ArrayList<>();
    for (String entry : signatures.trim().split("\\s+")) {
      if (entry.startsWith("v1,")) {
        byte[] sig = decodeBase64(entry.substring(3));
        if (sig != null) {
          claimed.add(sig);
        }
      }
    }
    if (claimed.isEmpty()) {
      return AuthResult.BAD_SIGNATURE;
    }
    byte[] signed = concat((id.trim() + "." + timestamp.trim() + ".").getBytes(StandardCharsets.UTF_8), webhook.body());
    boolean anyKey = false;
    boolean match = false;
    for (String secret : secrets) {
      byte[] key = whsecKey(secret);
      if (key == null) {
        continue;
      }
      anyKey = true;
      byte[] expected = mac("HmacSHA256", key, signed);
      for (byte[] sig : claimed) {
        match |= MessageDigest.isEqual(expected, sig);
      }
    }
    if (!anyKey) {
      return AuthResult.MISCONFIGURED;
    }
    return match ? AuthResult.OK : AuthResult.BAD_SIGNATURE;
  }

  /** The key bytes of a Standard Webhooks secret: base64 after an optional {@code whsec_}. */
  static byte[] whsecKey(String secret) {
    String encoded = secret.trim();
    if (encoded.startsWith(WHSEC_PREFIX)) {
      encoded = encoded.substring(WHSEC_PREFIX.length());
    }
    byte[] key = decodeBase64(encoded);
    return key == null || key.length == 0 ? null : key;
  }

  static String macAlgorithm(String algorithm) {
    String a = algorithm == null ? "sha256" : algorithm.trim().toLowerCase(Locale.ROOT).replace("-", "");
    return switch (a) {
      case "sha256", "hmacsha256" -> "HmacSHA256";
      case "sha512", "hmacsha512" -> "HmacSHA512";
      case "sha1", "hmacsha1" -> "HmacSHA1";
      default -> null;
    };
  }

  static byte[] mac(String algorithm, byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }

  /** The value of the first header present among comma-separated {@code names}. */
  private static String firstHeader(RawWebhook webhook, String names) {
    for (String name : names.split(",")) {
      String value = name.isBlank() ? null : webhook.header(name.trim());
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** {@code value} without {@code prefix} (case-insensitive) when it starts with it; the prefix is optional. */
  private static String stripPrefix(String value, String prefix) {
    if (prefix == null || prefix.isBlank()) {
      return value;
    }
    String p = prefix.trim();
    return value.regionMatches(true, 0, p, 0, p.length()) ? value.substring(p.length()).trim() : value;
  }

  private static boolean equalsConstantTime(String received, String expected) {
    return MessageDigest.isEqual(received.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean anyEqualsConstantTime(String received, List<String> expected) {
    boolean match = false;
    for (String candidate : expected) {
      match |= equalsConstantTime(received, candidate);
    }
    return match;
  }

  private static byte[] decodeHex(String hex) {
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] decodeBase64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException notStandard) {
      try {
        return Base64.getUrlDecoder().decode(text);
      } catch (IllegalArgumentException notUrlSafe) {
        return null;
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
