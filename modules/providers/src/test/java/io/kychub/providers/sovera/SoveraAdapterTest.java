package io.kychub.providers.sovera;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SoveraAdapterTest extends ProviderContractTestBase {

  @Override
  protected ProviderAdapter newAdapter() {
    return new SoveraAdapter();
  }

  @Override
  protected String fixtureDirectory() {
    return "sovera";
  }

  @Override
  protected List<String> malformedFixtures() {
    return List.of("not-json", "json-array", "missing-status");
  }

  @Override
  protected List<String> missingSubjectFixtures() {
    return List.of("missing-user-id");
  }

  /** The documents' own schema example, whose status is the placeholder "string". */
  @Override
  protected List<String> unknownEventFixtures() {
    return List.of("schema-example");
  }

  /** Sovera sends one kind of webhook, the KYC verification's. */
  @Override
  protected List<String> ignoredEventFixtures() {
    return List.of();
  }

  @Override
  protected List<Mapping> documentedExamples() {
    return List.of(
        maps("verification-inputs-completed", KycStatus.PROCESSING),
        maps("verified", KycStatus.VERIFIED),
        maps("rejected-document-mismatch", KycStatus.REJECTED),
        maps("rejected-aml", KycStatus.REJECTED),
        maps("rejected-underage", KycStatus.REJECTED),
        maps("rejected-document-expired", KycStatus.REJECTED),
        maps("rejected-document-issues", KycStatus.REJECTED),
        maps("rejected-validation-failed", KycStatus.REJECTED),
        maps("review-document-issues", KycStatus.UNDER_REVIEW),
        maps("review-aml", KycStatus.UNDER_REVIEW),
        maps("review-government-system-inoperative", KycStatus.UNDER_REVIEW),
        maps("review-compliance", KycStatus.UNDER_REVIEW));
  }

  @Override
  protected List<Mapping> otherMappings() {
    return List.of(
        maps("rejected-document-mismatch-ascii-apostrophe", KycStatus.REJECTED),
        maps("rejected-unlisted-description", KycStatus.REJECTED));
  }

  private CanonicalUpdate only(String fixture) throws MalformedWebhookException {
    ParsedWebhook parsed = Fixtures.parse(adapter, fixture);
    assertThat(parsed.updates()).hasSize(1);
    return parsed.updates().get(0);
  }

  @Test
  void defaultAuthIsHttpBasic() {
    assertThat(adapter.defaultAuth().scheme()).isEqualTo("basic");
  }

  @Test
  void verificationInputsCompletedMapsToProcessingWithoutReason() throws Exception {
    CanonicalUpdate u = only("verification-inputs-completed");
    assertThat(u).isEqualTo(new CanonicalUpdate("unique user identifier", SubjectKind.CUSTOMER, KycStatus.PROCESSING,
        DecidedBy.PROVIDER, null, Instant.parse("2023-03-16T09:42:18.8338086Z")));
  }

  @Test
  void sevenDigitFractionTimestampIsRead() throws Exception {
    assertThat(only("rejected-aml").occurredAt()).isEqualTo(Instant.ofEpochSecond(1678959738L, 833_808_600));
  }

  @Test
  void verifiedWithPlaceholderTimestampHasNoOccurredAt() throws Exception {
    // the docs' own example carries "ISO 8601 format timestamp" as the value
    CanonicalUpdate u = only("verified");
    assertThat(u.subject()).isEqualTo("ID único del usuario");
    assertThat(u.status()).isEqualTo(KycStatus.VERIFIED);
    assertThat(u.reason()).isNull();
    assertThat(u.occurredAt()).isNull();
  }

  @Test
  void soveraAmlRejectionMapsToAmlHit() throws Exception {
    CanonicalUpdate u = only("rejected-aml");
    assertThat(u.status()).isEqualTo(KycStatus.REJECTED);
    assertThat(u.reason()).isEqualTo(Reason.of(ReasonCode.AML_HIT, "AML checks rejected"));
  }

  @Test
  void typographicApostropheMismatchMapsToDocumentMismatch() throws Exception {
    assertThat(only("rejected-document-mismatch").reason())
        .isEqualTo(Reason.of(ReasonCode.DOCUMENT_MISMATCH, "Document doesn\u2019t match input data"));
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
      "rejected-document-mismatch-ascii-apostrophe, REJECTED, DOCUMENT_MISMATCH",
      "rejected-underage, REJECTED, UNDERAGE",
      "rejected-document-expired, REJECTED, DOCUMENT_EXPIRED",
      "rejected-document-issues, REJECTED, DOCUMENT_ISSUE",
      "rejected-validation-failed, REJECTED, VALIDATION_FAILED",
      "review-document-issues, UNDER_REVIEW, DOCUMENT_ISSUE",
      "review-aml, UNDER_REVIEW, AML_REVIEW",
      "review-government-system-inoperative, UNDER_REVIEW, PROVIDER_UNAVAILABLE",
      "review-compliance, UNDER_REVIEW, COMPLIANCE_REVIEW",
      "rejected-unlisted-description, REJECTED, OTHER"})
  void everyDocumentedDescriptionMapsToItsReasonCode(String fixture, KycStatus status, ReasonCode code) throws Exception {
    CanonicalUpdate u = only(fixture);
    assertThat(u.status()).isEqualTo(status);
    assertThat(u.reason().code()).isEqualTo(code);
    assertThat(u.reason().detail()).isNotBlank();
  }

  @Test
  void unlistedDescriptionKeepsProviderTextAsDetail() throws Exception {
    CanonicalUpdate u = only("rejected-unlisted-description");
    assertThat(u.subject()).isEqualTo("cust-7");
    assertThat(u.reason()).isEqualTo(Reason.of(ReasonCode.OTHER, "Something nobody documented"));
    assertThat(u.occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
  }

  @Test
  void unknownStatusIsIgnored() throws Exception {
    ParsedWebhook parsed = Fixtures.parse(adapter, "schema-example");
    assertThat(parsed.eventType()).isEqualTo("string");
    assertThat(parsed.updates()).isEmpty();
    assertThat(parsed.idempotencyKey()).isNull();
  }

  @Test
  void missingUserIdIsMalformed() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "missing-user-id"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessageContaining("metadata.userId");
  }

  @Test
  void missingStatusIsMalformed() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "missing-status"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessageContaining("status");
  }

  @Test
  void invalidJsonIsMalformedWithoutEchoingTheBody() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "not-json"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessage("sovera webhook body is not valid JSON");
  }

  @Test
  void jsonArrayIsMalformed() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "json-array"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessage("sovera webhook body is not a JSON object");
  }
}
