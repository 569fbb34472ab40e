package io.kychub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.SecretValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignaturesTest {

  /** The signing vector of the Standard Webhooks libraries' own tests. */
  @Test
  void theStandardWebhooksTestVector() {
    assertThat("v1," + Signatures.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
        "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8))).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void duringARotationBothLiveSecretsSignAndALapsedOneDoesNot() {
    Instant now = Instant.parse("2026-12-07T10:00:00Z");
    String fresh = Signatures.newSecret();
    String old = Signatures.newSecret();
    String lapsed = Signatures.newSecret();
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    String header = Signatures.header(List.of(new SecretValue(fresh, null), new SecretValue(old, now.plusSeconds(60)),
        new SecretValue(lapsed, now.minusSeconds(1))), "msg_1", 1, body, now);
    assertThat(header.split(" ")).containsExactly("v1," + Signatures.sign(fresh, "msg_1", 1, body),
        "v1," + Signatures.sign(old, "msg_1", 1, body));
  }

  @Test
  void aNewSecretIsWhsecAndTwentyFourRandomBytes() {
    String secret = Signatures.newSecret();
    assertThat(secret).startsWith("whsec_");
    assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSize(24);
    assertThat(Signatures.newSecret()).isNotEqualTo(secret);
  }
}
