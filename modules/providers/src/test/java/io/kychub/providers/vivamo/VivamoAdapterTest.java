package io.kychub.providers.vivamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
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

class VivamoAdapterTest extends ProviderContractTestBase {

  @Override
  protected ProviderAdapter newAdapter() {
    return new VivamoAdapter();
  }

  @Override
  protected String fixtureDirectory() {
    return "vivamo";
  }

  @Override
  protected List<String> malformedFixtures() {
    return List.of("not-json", "missing-status");
  }

  @Override
  protected List<String> missingSubjectFixtures() {
    return List.of("missing-subject");
  }

  @Override
  protected List<String> unknownEventFixtures() {
    return List.of("unknown-status");
  }

  @Override
  protected List<String> ignoredEventFixtures() {
    return List.of("other-event");
  }

  /** Vivamo documents its statuses but no body: one fixture per documented status. */
  @Override
  protected List<Mapping> documentedExamples() {
    return List.of(
        maps("pending-flat", KycStatus.PENDING),
        maps("verified-nested-kyc-verification", KycStatus.VERIFIED),
        maps("under-review-data-envelope", KycStatus.UNDER_REVIEW),
        maps("rejected-with-reason", KycStatus.REJECTED),
        maps("expired-customer-id-only", KycStatus.EXPIRED),
        maps("verified-manually", KycStatus.VERIFIED),
        maps("rejected-manually", KycStatus.REJECTED));
  }

  @Override
  protected List<Mapping> otherMappings() {
    return List.of(
        maps("rejected-without-reason", KycStatus.REJECTED),
        maps("unparsable-timestamp", KycStatus.VERIFIED),
        maps("verified-bare-verification-object", KycStatus.VERIFIED));
  }

  private CanonicalUpdate only(String fixture) throws MalformedWebhookException {
    ParsedWebhook parsed = Fixtures.parse(adapter, fixture);
    assertThat(parsed.updates()).hasSize(1);
    return parsed.updates().get(0);
  }

  @Test
  void flatPendingPrefersExternalCustomerIdOverCustomerId() throws Exception {
    assertThat(only("pending-flat")).isEqualTo(new CanonicalUpdate("cust-1", SubjectKind.CUSTOMER, KycStatus.PENDING,
        DecidedBy.PROVIDER, null, Instant.parse("2025-01-10T08:00:00Z")));
  }

  @Test
  void nestedKycVerificationCarriesStatusAndTime() throws Exception {
    CanonicalUpdate u = only("verified-nested-kyc-verification");
    assertThat(u.subject()).isEqualTo("cust-1");
    assertThat(u.status()).isEqualTo(KycStatus.VERIFIED);
    assertThat(u.decidedBy()).isEqualTo(DecidedBy.PROVIDER);
    assertThat(u.occurredAt()).isEqualTo(Instant.parse("2025-01-10T08:30:00Z"));
  }

  @Test
  void dataEnvelopeUnderReviewKeepsReason() throws Exception {
    CanonicalUpdate u = only("under-review-data-envelope");
    assertThat(u.status()).isEqualTo(KycStatus.UNDER_REVIEW);
    assertThat(u.reason()).isEqualTo(Reason.of(ReasonCode.DOCUMENT_ISSUE, "Document glare, needs a human"));
  }

  @Test
  void kycVerificationStatusWinsOverCustomerStatus() throws Exception {
    // data.status is the customer's account status; data.kycVerification.status is the KYC one
    CanonicalUpdate u = only("rejected-with-reason");
    assertThat(u.subject()).isEqualTo("9876");
    assertThat(u.status()).isEqualTo(KycStatus.REJECTED);
    assertThat(u.reason()).isEqualTo(Reason.of(ReasonCode.DOCUMENT_EXPIRED, "Document expired"));
  }

  @Test
  void numericCustomerIdIsUsedWhenNoExternalId() throws Exception {
    CanonicalUpdate u = only("expired-customer-id-only");
    assertThat(u.subject()).isEqualTo("9876");
    assertThat(u.status()).isEqualTo(KycStatus.EXPIRED);
    assertThat(u.occurredAt()).isEqualTo(Instant.parse("2025-01-10T09:00:00Z"));
  }

  @Test
  void verifiedManuallyIsVerifiedByOperator() throws Exception {
    CanonicalUpdate u = only("verified-manually");
    assertThat(u.status()).isEqualTo(KycStatus.VERIFIED);
    assertThat(u.decidedBy()).isEqualTo(DecidedBy.OPERATOR);
    assertThat(u.subject()).isEqualTo("cust-1");
  }

  @Test
  void rejectedManuallyIsRejectedByOperatorWithReason() throws Exception {
    CanonicalUpdate u = only("rejected-manually");
    assertThat(u.status()).isEqualTo(KycStatus.REJECTED);
    assertThat(u.decidedBy()).isEqualTo(DecidedBy.OPERATOR);
    assertThat(u.reason()).isEqualTo(Reason.of(ReasonCode.AML_HIT, "Operator: AML checks rejected"));
    assertThat(u.occurredAt()).isNull();
  }

  @Test
  void rejectedWithoutReasonStillCarriesOtherReason() throws Exception {
    assertThat(only("rejected-without-reason").reason()).isEqualTo(Reason.of(ReasonCode.OTHER, null));
  }

  @Test
  void unparsableTimestampGivesNoOccurredAt() throws Exception {
    assertThat(only("unparsable-timestamp").occurredAt()).isNull();
  }

  @Test
  void verificationTypeIsNotMistakenForAnEventName() throws Exception {
    CanonicalUpdate u = only("verified-bare-verification-object");
    assertThat(u.status()).isEqualTo(KycStatus.VERIFIED);
    assertThat(u.subject()).isEqualTo("cust-1");
  }

  @Test
  void otherEventTypesAreIgnored() throws Exception {
    ParsedWebhook parsed = Fixtures.parse(adapter, "other-event");
    assertThat(parsed.eventType()).isEqualTo("payment_completed");
    assertThat(parsed.updates()).isEmpty();
  }

  @Test
  void missingSubjectIsMalformed() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "missing-subject"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessageContaining("externalCustomerId");
  }

  @Test
  void truncatedJsonIsMalformed() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "not-json"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessage("vivamo webhook body is not valid JSON");
  }

  @Test
  void defaultAuthIsLowercaseHexSha512InSignatureHeader() {
    assertThat(adapter.defaultAuth().scheme()).isEqualTo("hmac");
    assertThat(adapter.defaultAuth().header()).isEqualTo("signature");
    assertThat(adapter.defaultAuth().algorithm()).isEqualTo("sha512");
    assertThat(adapter.defaultAuth().encoding()).isEqualTo("hex");
    assertThat(adapter.defaultAuth().prefix()).isNull();
  }
}
