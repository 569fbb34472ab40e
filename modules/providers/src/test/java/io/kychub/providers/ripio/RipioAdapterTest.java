package io.kychub.providers.ripio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.KycStatus;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.SubjectKind;
import io.kychub.providers.Fixtures;
import io.kychub.providers.MalformedWebhookException;
import io.kychub.providers.ParsedWebhook;
import io.kychub.providers.ProviderAdapter;
import io.kychub.providers.ProviderContractTestBase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RipioAdapterTest extends ProviderContractTestBase {

  private static final String CUSTOMER = "75c741a2-c3c8-46b1-a807-4fa1f4010026";

  @Override
  protected ProviderAdapter newAdapter() {
    return new RipioAdapter();
  }

  @Override
  protected String fixtureDirectory() {
    return "ripio";
  }

  @Override
  protected List<String> malformedFixtures() {
    return List.of("not-json", "missing-event-type");
  }

  @Override
  protected List<String> missingSubjectFixtures() {
    return List.of("kyc-completed-missing-customer");
  }

  @Override
  protected List<String> unknownEventFixtures() {
    return List.of("unknown-kyc-event");
  }

  /** Ripio's other events share the endpoint. */
  @Override
  protected List<String> ignoredEventFixtures() {
    return List.of("non-kyc-event");
  }

  /** The documented KYC.COMPLETED example, and the same body for each other documented event type. */
  @Override
  protected List<Mapping> documentedExamples() {
    return List.of(
        maps("kyc-incomplete-user-data", KycStatus.PENDING),
        maps("kyc-in-review", KycStatus.PROCESSING),
        maps("kyc-completed", KycStatus.VERIFIED),
        maps("kyc-failed", KycStatus.REJECTED));
  }

  @Override
  protected List<Mapping> otherMappings() {
    return List.of(maps("kyc-failed-with-reason", KycStatus.REJECTED));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "kyc-incomplete-user-data, PENDING",
      "kyc-in-review, PROCESSING",
      "kyc-completed, VERIFIED",
      "kyc-failed, REJECTED"})
  void eachKycEventMapsToItsStatus(String fixture, KycStatus status) throws Exception {
    ParsedWebhook parsed = Fixtures.parse(adapter, fixture);
    assertThat(parsed.updates()).hasSize(1);
    CanonicalUpdate u = parsed.updates().get(0);
    assertThat(u.subject()).isEqualTo(CUSTOMER);
    assertThat(u.subjectKind()).isEqualTo(SubjectKind.CUSTOMER);
    assertThat(u.status()).isEqualTo(status);
    assertThat(u.occurredAt()).isEqualTo(Instant.parse("2026-03-12T14:22:22.508Z"));
  }

  @Test
  void idempotencyKeyIsSubmissionEventAndIssueTime() throws Exception {
    assertThat(Fixtures.parse(adapter, "kyc-completed").idempotencyKey())
        .isEqualTo("9faf77b8-b9ee-4737-9392-6c1b63f0fd21|KYC.COMPLETED|2026-03-12T14:22:22.508Z");
  }

  @Test
  void sameSubmissionWithAnotherEventHasAnotherKey() throws Exception {
    assertThat(Fixtures.parse(adapter, "kyc-in-review").idempotencyKey())
        .isNotEqualTo(Fixtures.parse(adapter, "kyc-completed").idempotencyKey());
  }

  @Test
  void failedWithoutReasonIsValidationFailed() throws Exception {
    assertThat(Fixtures.parse(adapter, "kyc-failed").updates().get(0).reason())
        .isEqualTo(Reason.of(ReasonCode.VALIDATION_FAILED, "KYC.FAILED"));
  }

  @Test
  void failedWithReasonKeepsItsTextAndClassifiesIt() throws Exception {
    assertThat(Fixtures.parse(adapter, "kyc-failed-with-reason").updates().get(0).reason())
        .isEqualTo(Reason.of(ReasonCode.DOCUMENT_EXPIRED, "Document expired"));
  }

  @Test
  void nonKycEventIsIgnored() throws Exception {
    ParsedWebhook parsed = Fixtures.parse(adapter, "non-kyc-event");
    assertThat(parsed.eventType()).isEqualTo("USER.CREATED");
    assertThat(parsed.updates()).isEmpty();
  }

  @Test
  void kycEventWithoutCustomerIdIsMalformed() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "kyc-completed-missing-customer"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessageContaining("payload.customerId");
  }

  @Test
  void missingEventTypeIsMalformed() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "missing-event-type"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessageContaining("eventType");
  }

  @Test
  void defaultAuthIsPrefixedSha256HmacOnEitherHeader() {
    assertThat(adapter.defaultAuth().scheme()).isEqualTo("hmac");
    assertThat(adapter.defaultAuth().header()).isEqualTo("Http-X-Wh-Signature-256,X-Wh-Signature-256");
    assertThat(adapter.defaultAuth().algorithm()).isEqualTo("sha256");
    assertThat(adapter.defaultAuth().prefix()).isEqualTo("sha256=");
  }
}
