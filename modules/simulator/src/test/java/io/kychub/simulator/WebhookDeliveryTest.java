package io.kychub.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.KycStatus;
import io.kychub.model.RawWebhook;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.SecretValue;
import io.kychub.model.SubjectKind;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.ParsedWebhook;
import io.kychub.providers.auth.AuthResult;
import io.kychub.providers.auth.WebhookAuthenticator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Webhooks a simulator sends arrive at the hub's path, pass the hub's authentication for the
 * tenant's credential, and parse with the provider's adapter to the status that was sent.
 */
class WebhookDeliveryTest extends SimulatorTestBase {

  private static final Instant AT = Instant.parse("2026-03-12T14:22:22.508Z");
  private static final WebhookAuthenticator AUTHENTICATOR = new WebhookAuthenticator();

  static Stream<Arguments> everyStatusOfEveryProvider() {
    return Simulators.PROVIDERS.stream().flatMap(provider -> Stream.of(KycStatus.values())
        .filter(status -> Simulators.create(provider, SimulatorConfig.defaults()).statuses().contains(status))
        .map(status -> Arguments.of(provider, status)));
  }

  /** The reason sent with each status: a code the provider can express. */
  private static Reason reasonFor(KycStatus status) {
    return switch (status) {
      case REJECTED -> Reason.of(ReasonCode.AML_HIT, null);
      case UNDER_REVIEW -> Reason.of(ReasonCode.COMPLIANCE_REVIEW, null);
      default -> null;
    };
  }

  /** The reason code the hub reads back: Ripio sends no reason, Ondato explains an expiry. */
  private static ReasonCode expectedReasonCode(String provider, KycStatus status) {
    if (status == KycStatus.REJECTED) {
      return provider.equals("ripio") ? ReasonCode.VALIDATION_FAILED : ReasonCode.AML_HIT;
    }
    if (status == KycStatus.UNDER_REVIEW) {
      return ReasonCode.COMPLIANCE_REVIEW;
    }
    return status == KycStatus.EXPIRED && provider.equals("ondato") ? ReasonCode.OTHER : null;
  }

  private static CanonicalUpdate authenticateAndParse(RawWebhook webhook, String provider) throws Exception {
    AuthResult auth = AUTHENTICATOR.verify(tenantAuth(provider, SECRETS.get(provider)), webhook, Instant.now());
    assertThat(auth).as("authentication").isEqualTo(AuthResult.OK);
    ParsedWebhook parsed = REGISTRY.find(provider).orElseThrow().parse(webhook);
    assertThat(parsed.updates()).hasSize(1);
    return parsed.updates().get(0);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyStatusOfEveryProvider")
  void everyStatusArrivesAuthenticatedAndParsesToTheStatusSent(String provider, KycStatus status) throws Exception {
    String customer = newCustomer();
    int answer = Await.result(sims.get(provider).sendWebhook(TENANT, customer, status, reasonFor(status), AT));

    assertThat(answer).isEqualTo(200);
    RawWebhook webhook = hub.last();
    assertThat(webhook.tenantId()).isEqualTo(TENANT);
    assertThat(webhook.provider()).isEqualTo(provider);
    CanonicalUpdate update = authenticateAndParse(webhook, provider);
    assertThat(update.status()).isEqualTo(status);
    assertThat(update.decidedBy()).isEqualTo(DecidedBy.PROVIDER);
    boolean byIdv = provider.equals("ondato") && (status == KycStatus.VERIFIED || status == KycStatus.REJECTED);
    assertThat(update.subjectKind()).isEqualTo(byIdv ? SubjectKind.PROVIDER_REFERENCE : SubjectKind.CUSTOMER);
    assertThat(update.subject()).isEqualTo(byIdv ? sims.ondato().customer(customer).orElseThrow().reference() : customer);
    assertThat(update.occurredAt()).isEqualTo(provider.equals("p100") ? null : AT);
    assertThat(update.reason() == null ? null : update.reason().code()).isEqualTo(expectedReasonCode(provider, status));
    assertThat(sims.get(provider).customer(customer).orElseThrow().status()).isEqualTo(status);
  }

  @Test
  void aWebhookDoesNotAuthenticateWithAnotherSecret() {
    Await.result(sims.ripio().sendWebhook(TENANT, newCustomer(), KycStatus.VERIFIED, null, AT));
    AuthResult auth = AUTHENTICATOR.verify(tenantAuth("ripio", "another-key"), hub.last(), Instant.now());
    assertThat(auth).isEqualTo(AuthResult.BAD_SIGNATURE);
  }

  @Test
  void aTenantOnStandardWebhooksGetsStandardWebhooksSignatures() throws Exception {
    String secret = "whsec_" + Base64.getEncoder().encodeToString("a-32-byte-standard-webhooks-key!".getBytes());
    sims.ripio().addTarget(HubTarget.of(hub.url(), "sw-tenant", secret).withScheme("standard-webhooks"));
    Await.result(sims.ripio().sendWebhook("sw-tenant", newCustomer(), KycStatus.PROCESSING, null, AT));

    RawWebhook webhook = hub.last();
    assertThat(webhook.header("webhook-id")).isNotBlank();
    assertThat(webhook.header("webhook-signature")).startsWith("v1,");
    assertThat(webhook.header("Http-X-Wh-Signature-256")).isNull();
    WebhookAuthConfig credential = new WebhookAuthConfig("standard-webhooks", List.of(new SecretValue(secret, null)),
        null, null, null, null, null, List.of(), null);
    assertThat(AUTHENTICATOR.verify(credential, webhook, Instant.now())).isEqualTo(AuthResult.OK);
    assertThat(REGISTRY.find("ripio").orElseThrow().parse(webhook).updates().get(0).status()).isEqualTo(KycStatus.PROCESSING);
  }

  @Test
  void theHubsAnswerIsReturned() {
    hub.answer(401);
    assertThat(Await.result(sims.p100().sendWebhook(TENANT, newCustomer(), KycStatus.VERIFIED, null, AT))).isEqualTo(401);
  }

  @Test
  void aStatusTheProviderCannotExpressIsNotSent() {
    Throwable failure = Await.failure(sims.vivamo().sendWebhook(TENANT, newCustomer(), KycStatus.PROCESSING, null, AT));
    assertThat(failure).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("processing");
    assertThat(hub.received()).isEmpty();
  }

  @Test
  void aTenantWithoutTargetIsNotSent() {
    Throwable failure = Await.failure(sims.p100().sendWebhook("nobody", newCustomer(), KycStatus.VERIFIED, null, AT));
    assertThat(failure).hasMessageContaining("nobody");
    assertThat(hub.received()).isEmpty();
  }

  @Test
  void aBasicTargetNeedsAUsername() {
    assertThatThrownBy(() -> sims.sovera().addTarget(HubTarget.of(hub.url(), "t", "pw")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("username");
  }

  @Test
  void anUnreachableHubFailsTheSend() {
    sims.p100().addTarget(HubTarget.of("http://127.0.0.1:1", "down", "token"));
    assertThat(Await.failure(sims.p100().sendWebhook("down", newCustomer(), KycStatus.VERIFIED, null, AT))).isNotNull();
  }
}
