package io.kychub.providers.auth;

import io.kychub.model.WebhookAuthConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The sending side of {@link WebhookAuthenticator}: the headers a provider puts on a webhook for
 * a given scheme and secret. Used by the provider simulators, the demo, tests and the benchmark.
 */
public final class WebhookSigner {

  private WebhookSigner() {}

  /**
   * @param effective the credential's scheme with the provider's defaults applied
   * @param messageId the Standard Webhooks {@code webhook-id} (ignored by other schemes)
   */
  public static Map<String, String> sign(WebhookAuthConfig effective, String secret, byte[] body, Instant now,
      String messageId) {
    Map<String, String> headers = new LinkedHashMap<>();
    String scheme = effective.scheme() == null ? "" : effective.scheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case WebhookAuthenticator.HMAC -> {
        String algorithm = WebhookAuthenticator.macAlgorithm(effective.algorithm());
        byte[] sig = WebhookAuthenticator.mac(algorithm, secret.getBytes(StandardCharsets.UTF_8), body);
        String encoded = "base64".equalsIgnoreCase(effective.encoding())
            ? Base64.getEncoder().encodeToString(sig) : HexFormat.of().formatHex(sig);
        String prefix = effective.prefix() == null ? "" : effective.prefix();
        headers.put(effective.header().split(",")[0].trim(), prefix + encoded);
      }
      case WebhookAuthenticator.BASIC -> headers.put("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((effective.username() + ":" + secret).getBytes(StandardCharsets.UTF_8)));
      case WebhookAuthenticator.TOKEN -> headers.put(effective.header() == null ? "Authorization" : effective.header(),
          (effective.prefix() == null ? "" : effective.prefix()) + secret);
      case WebhookAuthenticator.STANDARD_WEBHOOKS -> {
        String timestamp = Long.toString(now.getEpochSecond());
        byte[] head = (messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[head.length + body.length];
        System.arraycopy(head, 0, signed, 0, head.length);
        System.arraycopy(body, 0, signed, head.length, body.length);
        byte[] sig = WebhookAuthenticator.mac("HmacSHA256", WebhookAuthenticator.whsecKey(secret), signed);
        headers.put("webhook-id", messageId);
        headers.put("webhook-timestamp", timestamp);
        headers.put("webhook-signature", "v1," + Base64.getEncoder().encodeToString(sig));
      }
      default -> throw new IllegalArgumentException("unknown scheme: " + effective.scheme());
    }
    return headers;
  }
}
