package io.kychub.providers.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.RawWebhook;
import io.kychub.model.SecretValue;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.ondato.OndatoAdapter;
import io.kychub.providers.p100.P100Adapter;
import io.kychub.providers.ripio.RipioAdapter;
import io.kychub.providers.sovera.SoveraAdapter;
import io.kychub.providers.vivamo.VivamoAdapter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WebhookAuthenticatorTest {

  private static final Instant NOW = Instant.parse("2026-03-12T14:22:30Z");
  private static final byte[] BODY =
      "{\"eventType\":\"KYC.COMPLETED\",\"payload\":{\"customerId\":\"c-1\"}}".getBytes(StandardCharsets.UTF_8);

  private final WebhookAuthenticator authenticator = new WebhookAuthenticator();

  // --- helpers -------------------------------------------------------------------------------

  private static SecretValue live(String value) {
    return new SecretValue(value, null);
  }

  private static SecretValue until(String value, Instant notAfter) {
    return new SecretValue(value, notAfter);
  }

  /** A tenant credential that sets only secrets (and optionally username/CIDRs), taking the rest from the adapter. */
  private static WebhookAuthConfig tenant(WebhookAuthConfig defaults, String username, List<String> cidrs, SecretValue... secrets) {
    return new WebhookAuthConfig(null, List.of(secrets), username, null, null, null, null, cidrs, null).withDefaults(defaults);
  }

  private static WebhookAuthConfig tenant(WebhookAuthConfig defaults, SecretValue... secrets) {
    return tenant(defaults, null, List.of(), secrets);
  }

  private static RawWebhook request(byte[] body, String remoteIp, String... headerPairs) {
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.put(headerPairs[i].toLowerCase(Locale.ROOT), headerPairs[i + 1]);
    }
    return new RawWebhook("acme", "test", headers, body, remoteIp, NOW);
  }

  private static RawWebhook request(String... headerPairs) {
    return request(BODY, "203.0.113.7", headerPairs);
  }

  private static byte[] mac(String algorithm, byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac.doFinal(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(String algorithm, String secret, byte[] body) {
    return HexFormat.of().formatHex(mac(algorithm, secret.getBytes(StandardCharsets.UTF_8), body));
  }

  private static byte[] tampered() {
    byte[] copy = Arrays.copyOf(BODY, BODY.length);
    copy[copy.length - 3] = 'X';
    return copy;
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  // --- scheme independent ---------------------------------------------------------------------

  @Test
  void unknownSchemeFails() {
    WebhookAuthConfig config = new WebhookAuthConfig("mtls", List.of(live("s")), null, null, null, null, null, List.of(), null);
    assertThat(authenticator.verify(config, request(), NOW)).isEqualTo(AuthResult.UNKNOWN_SCHEME);
  }

  @Test
  void noSecretMeansNoLiveSecret() {
    assertThat(authenticator.verify(tenant(new SoveraAdapter().defaultAuth(), "u", List.of()), request(), NOW))
        .isEqualTo(AuthResult.NO_LIVE_SECRET);
  }

  @Test
  void reasonCodesAreShortSnakeCaseConstants() {
    assertThat(AuthResult.BAD_SIGNATURE.reason()).isEqualTo("bad_signature");
    assertThat(AuthResult.OK.ok()).isTrue();
    assertThat(Arrays.stream(AuthResult.values()).filter(r -> r != AuthResult.OK)).noneMatch(AuthResult::ok);
  }

  // --- hmac -----------------------------------------------------------------------------------

  @Nested
  class Hmac {

    private final WebhookAuthConfig vivamo = tenant(new VivamoAdapter().defaultAuth(), live("vivamo-key"));
    private final WebhookAuthConfig ripio = tenant(new RipioAdapter().defaultAuth(), live("ripio-key"));

    @Test
    void vivamoSha512HexOfRawBodyAuthenticates() {
      assertThat(authenticator.verify(vivamo, request("signature", hex("HmacSHA512", "vivamo-key", BODY)), NOW))
          .isEqualTo(AuthResult.OK);
    }

    @Test
    void wrongSecretFailsHmac() {
      assertThat(authenticator.verify(vivamo, request("signature", hex("HmacSHA512", "other-key", BODY)), NOW))
          .isEqualTo(AuthResult.BAD_SIGNATURE);
    }

    @Test
    void tamperedBodyFailsHmac() {
      String signature = hex("HmacSHA512", "vivamo-key", BODY);
      assertThat(authenticator.verify(vivamo, request(tampered(), "203.0.113.7", "signature", signature), NOW))
          .isEqualTo(AuthResult.BAD_SIGNATURE);
    }

    @Test
    void missingSignatureHeaderFailsHmac() {
      assertThat(authenticator.verify(vivamo, request("x-other", "1"), NOW)).isEqualTo(AuthResult.MISSING_SIGNATURE);
    }

    @Test
    void undecodableSignatureIsBadSignature() {
      assertThat(authenticator.verify(vivamo, request("signature", "not-hex!"), NOW)).isEqualTo(AuthResult.BAD_SIGNATURE);
    }

    @Test
    void uppercaseHexIsAccepted() {
      String upper = hex("HmacSHA512", "vivamo-key", BODY).toUpperCase(Locale.ROOT);
      assertThat(authenticator.verify(vivamo, request("signature", upper), NOW)).isEqualTo(AuthResult.OK);
    }

    @Test
    void ripioSignatureWithPrefixIsAccepted() {
      String header = "sha256=" + hex("HmacSHA256", "ripio-key", BODY);
      assertThat(authenticator.verify(ripio, request("Http-X-Wh-Signature-256", header), NOW)).isEqualTo(AuthResult.OK);
    }

    @Test
    void ripioSignatureWithoutPrefixIsAccepted() {
      String header = hex("HmacSHA256", "ripio-key", BODY);
      assertThat(authenticator.verify(ripio, request("Http-X-Wh-Signature-256", header), NOW)).isEqualTo(AuthResult.OK);
    }

    @Test
    void ripioAlternativeHeaderIsAccepted() {
      String header = "sha256=" + hex("HmacSHA256", "ripio-key", BODY);
      assertThat(authenticator.verify(ripio, request("X-Wh-Signature-256", header), NOW)).isEqualTo(AuthResult.OK);
    }

    @Test
    void firstPresentHeaderWins() {
      // a stale value in the first header is not rescued by a good one in the second
      String good = hex("HmacSHA256", "ripio-key", BODY);
      RawWebhook both = request("Http-X-Wh-Signature-256", "sha256=" + "00".repeat(32), "X-Wh-Signature-256", good);
      assertThat(authenticator.verify(ripio, both, NOW)).isEqualTo(AuthResult.BAD_SIGNATURE);
    }

    @Test
    void base64Sha1WithCustomHeaderAuthenticates() {
      WebhookAuthConfig custom = new WebhookAuthConfig(
          "hmac", List.of(live("k1")), null, "X-Hub-Signature", "sha1", "base64", "sha1=", List.of(), null);
      String sig = "sha1=" + Base64.getEncoder().encodeToString(mac("HmacSHA1", "k1".getBytes(StandardCharsets.UTF_8), BODY));
      assertThat(authenticator.verify(custom, request("x-hub-signature", sig), NOW)).isEqualTo(AuthResult.OK);
      assertThat(authenticator.verify(custom, request(tampered(), null, "x-hub-signature", sig), NOW))
          .isEqualTo(AuthResult.BAD_SIGNATURE);
    }

    @Test
    void tenantOverridingTheSchemeDoesNotInheritProviderHeader() {
      // Sovera defaults to basic: a tenant choosing hmac there must name its own header
      WebhookAuthConfig noHeader = new WebhookAuthConfig("hmac", List.of(live("k")), null, null, null, null, null, List.of(), null)
          .withDefaults(new SoveraAdapter().defaultAuth());
      assertThat(authenticator.verify(noHeader, request("signature", "00"), NOW)).isEqualTo(AuthResult.MISCONFIGURED);
    }

    @Test
    void unknownAlgorithmIsMisconfigured() {
      WebhookAuthConfig md5 = new WebhookAuthConfig("hmac", List.of(live("k")), null, "sig", "md5", "hex", null, List.of(), null);
      assertThat(authenticator.verify(md5, request("sig", "00"), NOW)).isEqualTo(AuthResult.MISCONFIGURED);
    }

    @Test
    void bothSecretsAuthenticateDuringRotation() {
      WebhookAuthConfig rotating = tenant(new VivamoAdapter().defaultAuth(),
          live("new-key"), until("old-key", NOW.plus(Duration.ofDays(1))));
      assertThat(authenticator.verify(rotating, request("signature", hex("HmacSHA512", "new-key", BODY)), NOW))
          .isEqualTo(AuthResult.OK);
      assertThat(authenticator.verify(rotating, request("signature", hex("HmacSHA512", "old-key", BODY)), NOW))
          .isEqualTo(AuthResult.OK);
    }

    @Test
    void expiredSecretNoLongerAuthenticates() {
      WebhookAuthConfig rotated = tenant(new VivamoAdapter().defaultAuth(),
          live("new-key"), until("old-key", NOW.minusSeconds(1)));
      assertThat(authenticator.verify(rotated, request("signature", hex("HmacSHA512", "old-key", BODY)), NOW))
          .isEqualTo(AuthResult.BAD_SIGNATURE);
      assertThat(authenticator.verify(rotated, request("signature", hex("HmacSHA512", "new-key", BODY)), NOW))
          .isEqualTo(AuthResult.OK);
    }

    @Test
    void secretLapsesExactlyAtNotAfter() {
      WebhookAuthConfig lapsing = tenant(new VivamoAdapter().defaultAuth(), until("old-key", NOW));
      assertThat(authenticator.verify(lapsing, request("signature", hex("HmacSHA512", "old-key", BODY)), NOW))
          .isEqualTo(AuthResult.NO_LIVE_SECRET);
      assertThat(authenticator.verify(lapsing, request("signature", hex("HmacSHA512", "old-key", BODY)), NOW.minusMillis(1)))
          .isEqualTo(AuthResult.OK);
    }

    @Test
    void bodyIsNotParsedBeforeAuthentication() {
      // the authenticator only hashes bytes: a body that is not JSON (or not even UTF-8) authenticates
      byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x00, '{', '[', 0x7f};
      RawWebhook raw = request(binary, "203.0.113.7", "signature", hex("HmacSHA512", "vivamo-key", binary));
      assertThat(authenticator.verify(vivamo, raw, NOW)).isEqualTo(AuthResult.OK);
    }
  }

  // --- basic ----------------------------------------------------------------------------------

  @Nested
  class Basic {

    private final WebhookAuthConfig sovera = tenant(new SoveraAdapter().defaultAuth(), "sovera-user", List.of(),
        live("pass:with:colons"), until("old-pass", NOW.plusSeconds(60)), until("lapsed-pass", NOW.minusSeconds(60)));

    @Test
    void matchingUserAndPasswordAuthenticate() {
      assertThat(authenticator.verify(sovera, request("Authorization", basic("sovera-user", "pass:with:colons")), NOW))
          .isEqualTo(AuthResult.OK);
    }

    @Test
    void lowercaseSchemeWordIsAccepted() {
      String header = basic("sovera-user", "old-pass").replace("Basic", "basic");
      assertThat(authenticator.verify(sovera, request("Authorization", header), NOW)).isEqualTo(AuthResult.OK);
    }

    @Test
    void wrongPasswordFails() {
      assertThat(authenticator.verify(sovera, request("Authorization", basic("sovera-user", "guess")), NOW))
          .isEqualTo(AuthResult.BAD_CREDENTIALS);
    }

    @Test
    void wrongUsernameFailsEvenWithRightPassword() {
      assertThat(authenticator.verify(sovera, request("Authorization", basic("admin", "pass:with:colons")), NOW))
          .isEqualTo(AuthResult.BAD_CREDENTIALS);
    }

    @Test
    void missingAuthorizationHeaderFails() {
      assertThat(authenticator.verify(sovera, request(), NOW)).isEqualTo(AuthResult.MISSING_CREDENTIALS);
    }

    @Test
    void bearerInsteadOfBasicFails() {
      assertThat(authenticator.verify(sovera, request("Authorization", "Bearer pass:with:colons"), NOW))
          .isEqualTo(AuthResult.BAD_CREDENTIALS);
    }

    @Test
    void garbageBase64Fails() {
      assertThat(authenticator.verify(sovera, request("Authorization", "Basic %%%"), NOW))
          .isEqualTo(AuthResult.BAD_CREDENTIALS);
    }

    @Test
    void rotatedPasswordWorksUntilNotAfterThenStops() {
      assertThat(authenticator.verify(sovera, request("Authorization", basic("sovera-user", "old-pass")), NOW))
          .isEqualTo(AuthResult.OK);
      assertThat(authenticator.verify(sovera, request("Authorization", basic("sovera-user", "old-pass")), NOW.plusSeconds(61)))
          .isEqualTo(AuthResult.BAD_CREDENTIALS);
      assertThat(authenticator.verify(sovera, request("Authorization", basic("sovera-user", "lapsed-pass")), NOW))
          .isEqualTo(AuthResult.BAD_CREDENTIALS);
    }

    @Test
    void basicWithoutConfiguredUsernameIsMisconfigured() {
      WebhookAuthConfig noUser = tenant(new SoveraAdapter().defaultAuth(), live("p"));
      assertThat(authenticator.verify(noUser, request("Authorization", basic("anyone", "p")), NOW))
          .isEqualTo(AuthResult.MISCONFIGURED);
    }
  }

  // --- token ----------------------------------------------------------------------------------

  @Nested
  class Token {

    private final WebhookAuthConfig p100 = tenant(new P100Adapter().defaultAuth(),
        live("tok-new"), until("tok-old", NOW.plusSeconds(60)), until("tok-lapsed", NOW.minusSeconds(60)));

    @Test
    void bearerPrefixedTokenAuthenticates() {
      assertThat(authenticator.verify(p100, request("Authorization", "Bearer tok-new"), NOW)).isEqualTo(AuthResult.OK);
    }

    @Test
    void tokenWithoutPrefixAuthenticates() {
      assertThat(authenticator.verify(p100, request("Authorization", "tok-new"), NOW)).isEqualTo(AuthResult.OK);
    }

    @Test
    void prefixIsCaseInsensitive() {
      assertThat(authenticator.verify(p100, request("Authorization", "bearer tok-new"), NOW)).isEqualTo(AuthResult.OK);
    }

    @Test
    void wrongTokenFails() {
      assertThat(authenticator.verify(p100, request("Authorization", "Bearer tok-neW"), NOW))
          .isEqualTo(AuthResult.BAD_CREDENTIALS);
    }

    @Test
    void missingHeaderFails() {
      assertThat(authenticator.verify(p100, request(), NOW)).isEqualTo(AuthResult.MISSING_CREDENTIALS);
    }

    @Test
    void aBareBearerNeverMatchesASecretThatIsOnlyThePrefixOrBlank() {
      WebhookAuthConfig weak = tenant(new P100Adapter().defaultAuth(), live("Bearer "), live(" "), live("Bearer"));
      for (String presented : new String[] {"Bearer", "Bearer ", "bearer  ", " "}) {
        assertThat(authenticator.verify(weak, request("Authorization", presented), NOW)).as("'%s'", presented)
            .isNotEqualTo(AuthResult.OK);
      }
      assertThat(authenticator.verify(weak, request("Authorization", "Bearer x"), NOW)).isEqualTo(AuthResult.BAD_CREDENTIALS);
    }

    @Test
    void rotationAcceptsOldAndNewUntilOldLapses() {
      assertThat(authenticator.verify(p100, request("Authorization", "Bearer tok-old"), NOW)).isEqualTo(AuthResult.OK);
      assertThat(authenticator.verify(p100, request("Authorization", "Bearer tok-lapsed"), NOW))
          .isEqualTo(AuthResult.BAD_CREDENTIALS);
    }

    @Test
    void customHeaderWithoutPrefix() {
      WebhookAuthConfig custom = new WebhookAuthConfig("token", List.of(live("t1")), null, "X-Api-Token", null, null, null, List.of(), null);
      assertThat(authenticator.verify(custom, request("x-api-token", "t1"), NOW)).isEqualTo(AuthResult.OK);
      assertThat(authenticator.verify(custom, request("Authorization", "t1"), NOW)).isEqualTo(AuthResult.MISSING_CREDENTIALS);
    }
  }

  // --- standard webhooks ----------------------------------------------------------------------

  @Nested
  class StandardWebhooks {

    // the test vector published with the Standard Webhooks reference libraries
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final byte[] PAYLOAD = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant SENT = Instant.ofEpochSecond(TIMESTAMP);

    private WebhookAuthConfig config(Integer tolerance, SecretValue... secrets) {
      return new WebhookAuthConfig("standard-webhooks", List.of(secrets), null, null, null, null, null, List.of(), tolerance);
    }

    private RawWebhook signed(byte[] body, String signature) {
      return request(body, "198.51.100.1",
          "webhook-id", ID, "webhook-timestamp", Long.toString(TIMESTAMP), "webhook-signature", signature);
    }

    @Test
    void referenceVectorAuthenticates() {
      assertThat(authenticator.verify(config(null, live(SECRET)), signed(PAYLOAD, SIGNATURE), SENT)).isEqualTo(AuthResult.OK);
    }

    @Test
    void secretWithoutWhsecPrefixIsReadAsBase64() {
      assertThat(authenticator.verify(config(null, live(SECRET.substring(6))), signed(PAYLOAD, SIGNATURE), SENT))
          .isEqualTo(AuthResult.OK);
    }

    @Test
    void tamperedBodyFailsStandardWebhooks() {
      byte[] changed = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
      assertThat(authenticator.verify(config(null, live(SECRET)), signed(changed, SIGNATURE), SENT))
          .isEqualTo(AuthResult.BAD_SIGNATURE);
    }

    @Test
    void wrongSecretFailsStandardWebhooks() {
      String other = "whsec_" + Base64.getEncoder().encodeToString("another-key-of-some-length".getBytes(StandardCharsets.UTF_8));
      assertThat(authenticator.verify(config(null, live(other)), signed(PAYLOAD, SIGNATURE), SENT))
          .isEqualTo(AuthResult.BAD_SIGNATURE);
    }

    @Test
    void anyOfSeveralSignaturesMayMatch() {
      String several = "v1,Zm9vYmFy v2,ignored " + SIGNATURE;
      assertThat(authenticator.verify(config(null, live(SECRET)), signed(PAYLOAD, several), SENT)).isEqualTo(AuthResult.OK);
    }

    @Test
    void onlyV1SignaturesCount() {
      String v2 = SIGNATURE.replace("v1,", "v2,");
      assertThat(authenticator.verify(config(null, live(SECRET)), signed(PAYLOAD, v2), SENT)).isEqualTo(AuthResult.BAD_SIGNATURE);
    }

    @Test
    void staleTimestampIsRejected() {
      assertThat(authenticator.verify(config(null, live(SECRET)), signed(PAYLOAD, SIGNATURE), SENT.plusSeconds(301)))
          .isEqualTo(AuthResult.STALE_TIMESTAMP);
      assertThat(authenticator.verify(config(null, live(SECRET)), signed(PAYLOAD, SIGNATURE), SENT.plusSeconds(300)))
          .isEqualTo(AuthResult.OK);
    }

    @Test
    void futureTimestampBeyondToleranceIsRejected() {
      assertThat(authenticator.verify(config(null, live(SECRET)), signed(PAYLOAD, SIGNATURE), SENT.minusSeconds(301)))
          .isEqualTo(AuthResult.STALE_TIMESTAMP);
    }

    @Test
    void toleranceIsConfigurable() {
      assertThat(authenticator.verify(config(10, live(SECRET)), signed(PAYLOAD, SIGNATURE), SENT.plusSeconds(11)))
          .isEqualTo(AuthResult.STALE_TIMESTAMP);
    }

    @Test
    void nonNumericTimestampIsInvalid() {
      RawWebhook raw = request(PAYLOAD, null, "webhook-id", ID, "webhook-timestamp", "yesterday", "webhook-signature", SIGNATURE);
      assertThat(authenticator.verify(config(null, live(SECRET)), raw, SENT)).isEqualTo(AuthResult.INVALID_TIMESTAMP);
    }

    @Test
    void missingIdHeaderFails() {
      RawWebhook raw = request(PAYLOAD, null, "webhook-timestamp", Long.toString(TIMESTAMP), "webhook-signature", SIGNATURE);
      assertThat(authenticator.verify(config(null, live(SECRET)), raw, SENT)).isEqualTo(AuthResult.MISSING_SIGNATURE);
    }

    @Test
    void rotationTriesEveryLiveSecretAndSkipsLapsedOnes() {
      String other = "whsec_" + Base64.getEncoder().encodeToString("new-key-new-key-new-key!".getBytes(StandardCharsets.UTF_8));
      assertThat(authenticator.verify(config(null, live(other), until(SECRET, SENT.plusSeconds(5))), signed(PAYLOAD, SIGNATURE), SENT))
          .isEqualTo(AuthResult.OK);
      assertThat(authenticator.verify(config(null, live(other), until(SECRET, SENT)), signed(PAYLOAD, SIGNATURE), SENT))
          .isEqualTo(AuthResult.BAD_SIGNATURE);
    }

    @Test
    void undecodableSecretIsMisconfigured() {
      assertThat(authenticator.verify(config(null, live("whsec_***")), signed(PAYLOAD, SIGNATURE), SENT))
          .isEqualTo(AuthResult.MISCONFIGURED);
    }
  }

  // --- IP allow-list --------------------------------------------------------------------------

  @Nested
  class AllowList {

    private WebhookAuthConfig ondato(List<String> cidrs) {
      return tenant(new OndatoAdapter().defaultAuth(), "ondato-user", cidrs, live("pw"));
    }

    private RawWebhook from(String ip) {
      return request(BODY, ip, "Authorization", basic("ondato-user", "pw"));
    }

    @Test
    void ipv4InsideCidrIsAllowed() {
      assertThat(authenticator.verify(ondato(List.of("20.31.0.0/16")), from("20.31.10.47"), NOW)).isEqualTo(AuthResult.OK);
    }

    @Test
    void ipv4OutsideCidrIsDeniedBeforeCredentialsAreChecked() {
      assertThat(authenticator.verify(ondato(List.of("20.31.0.0/16")), from("20.32.10.47"), NOW))
          .isEqualTo(AuthResult.IP_NOT_ALLOWED);
    }

    @Test
    void ipv6InsideCidrIsAllowed() {
      assertThat(authenticator.verify(ondato(List.of("2001:db8:abcd::/48")), from("2001:db8:abcd:12::1"), NOW))
          .isEqualTo(AuthResult.OK);
    }

    @Test
    void ipv6OutsideCidrIsDenied() {
      assertThat(authenticator.verify(ondato(List.of("2001:db8:abcd::/48")), from("2001:db8:abce::1"), NOW))
          .isEqualTo(AuthResult.IP_NOT_ALLOWED);
    }

    @Test
    void unparsableCidrDoesNotThrowAndLaterEntriesStillApply() {
      WebhookAuthConfig config = ondato(List.of("not-a-cidr", "10.0.0.0/33", "213.226.187.101"));
      assertThat(authenticator.verify(config, from("213.226.187.101"), NOW)).isEqualTo(AuthResult.OK);
      assertThat(authenticator.verify(config, from("10.0.0.1"), NOW)).isEqualTo(AuthResult.IP_NOT_ALLOWED);
    }

    @Test
    void unknownPeerAddressIsDeniedWhenAListIsSet() {
      assertThat(authenticator.verify(ondato(List.of("0.0.0.0/0")), from(null), NOW)).isEqualTo(AuthResult.IP_NOT_ALLOWED);
    }

    @Test
    void emptyListAllowsAnyAddress() {
      assertThat(authenticator.verify(ondato(List.of()), from("192.0.2.55"), NOW)).isEqualTo(AuthResult.OK);
    }
  }
}
