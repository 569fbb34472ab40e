package io.kychub.providers.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.RawWebhook;
import io.kychub.model.SecretValue;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.ProviderRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

  private static final Instant NOW = Instant.parse("2026-03-12T14:22:22Z");
  private static final byte[] BODY = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);

  private static RawWebhook raw(Map<String, String> headers, byte[] body) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    return new RawWebhook("t", "p", lower, body, "127.0.0.1", NOW);
  }

  private static WebhookAuthConfig configured(String provider, String scheme, String secret) {
    WebhookAuthConfig mine = new WebhookAuthConfig(scheme, List.of(new SecretValue(secret, null)), "user-" + provider,
        null, null, null, null, List.of(), null);
    return mine.withDefaults(ProviderRegistry.standard().find(provider).orElseThrow().defaultAuth());
  }

  @Test
  void everyProviderDefaultSignatureIsAcceptedByTheAuthenticator() {
    WebhookAuthenticator authenticator = new WebhookAuthenticator();
    for (String provider : ProviderRegistry.standard().names()) {
      WebhookAuthConfig auth = configured(provider, null, "s3cret-value-for-" + provider);
      Map<String, String> headers = WebhookSigner.sign(auth, "s3cret-value-for-" + provider, BODY, NOW, "msg-1");
      assertThat(authenticator.verify(auth, raw(headers, BODY), NOW)).as(provider).isEqualTo(AuthResult.OK);
      if (WebhookAuthenticator.HMAC.equals(auth.scheme())) {
        // Basic and token schemes authenticate the sender, not the body; HMAC covers the bytes.
        assertThat(authenticator.verify(auth, raw(headers, "{\"hello\":\"w0rld\"}".getBytes(StandardCharsets.UTF_8)), NOW))
            .as(provider + " tampered").isEqualTo(AuthResult.BAD_SIGNATURE);
      }
    }
  }

  @Test
  void standardWebhooksSignatureRoundTrips() {
    WebhookAuthConfig auth = configured("ripio", "standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    Map<String, String> headers = WebhookSigner.sign(auth, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", BODY, NOW, "msg_2");
    assertThat(headers).containsEntry("webhook-id", "msg_2").containsKey("webhook-signature");
    assertThat(new WebhookAuthenticator().verify(auth, raw(headers, BODY), NOW)).isEqualTo(AuthResult.OK);
  }
}
