package io.kychub.providers.ondato;

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

class OndatoAdapterTest extends ProviderContractTestBase {

  private static final String IDV = "02c99769-51a5-4174-aa5b-3fa0c2e6bfef";

  @Override
  protected ProviderAdapter newAdapter() {
    return new OndatoAdapter();
  }

  @Override
  protected String fixtureDirectory() {
    return "ondato";
  }

  @Override
  protected List<String> malformedFixtures() {
    return List.of("not-json", "missing-type", "missing-payload");
  }

  /** An identity verification without its id, a KYC identification without its IDV's. */
  @Override
  protected List<String> missingSubjectFixtures() {
    return List.of("idv-status-missing-id", "kyc-approved-missing-idv-id");
  }

  @Override
  protected List<String> unknownEventFixtures() {
    return List.of("kyb-unknown-event", "idv-status-unknown", "kyc-updated-unknown-status");
  }

  /** Forms are an Ondato resource the hub does not follow. */
  @Override
  protected List<String> ignoredEventFixtures() {
    return List.of("form-created-unknown-event");
  }

  /** One fixture per event of the two resources the hub follows, in Ondato's envelope. */
  @Override
  protected List<Mapping> documentedExamples() {
    return List.of(
        maps("idv-consented", KycStatus.PENDING),
        maps("idv-status-in-progress", KycStatus.PENDING),
        maps("idv-status-completed", KycStatus.PROCESSING),
        maps("idv-status-expired", KycStatus.EXPIRED),
        maps("idv-status-aborted", KycStatus.EXPIRED),
        maps("kyc-created", KycStatus.PROCESSING),
        maps("kyc-processed", KycStatus.PROCESSING),
        maps("kyc-approved", KycStatus.VERIFIED),
        maps("kyc-rejected", KycStatus.REJECTED),
        maps("kyc-updated-approved", KycStatus.VERIFIED),
        maps("kyc-updated-rejected", KycStatus.REJECTED));
  }

  @Override
  protected List<Mapping> otherMappings() {
    return List.of(
        maps("idv-legacy-name-consented", KycStatus.PENDING),
        maps("idv-pascal-case-envelope", KycStatus.PENDING),
        maps("idv-status-with-external-reference", KycStatus.PROCESSING),
        maps("kyc-rejected-unlisted-reason", KycStatus.REJECTED));
  }

  private CanonicalUpdate only(String fixture) throws MalformedWebhookException {
    ParsedWebhook parsed = Fixtures.parse(adapter, fixture);
    assertThat(parsed.updates()).hasSize(1);
    return parsed.updates().get(0);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "idv-consented, PENDING",
      "idv-legacy-name-consented, PENDING",
      "idv-status-in-progress, PENDING",
      "idv-status-completed, PROCESSING",
      "idv-status-expired, EXPIRED",
      "idv-status-aborted, EXPIRED",
      "kyc-created, PROCESSING",
      "kyc-processed, PROCESSING",
      "kyc-approved, VERIFIED",
      "kyc-rejected, REJECTED",
      "kyc-updated-approved, VERIFIED",
      "kyc-updated-rejected, REJECTED"})
  void eventFamiliesMapToCanonicalStatusOnTheIdvId(String fixture, KycStatus status) throws Exception {
    CanonicalUpdate u = only(fixture);
    assertThat(u.status()).isEqualTo(status);
    assertThat(u.subject()).isEqualTo(IDV);
    assertThat(u.subjectKind()).isEqualTo(SubjectKind.PROVIDER_REFERENCE);
    assertThat(u.decidedBy()).isEqualTo(DecidedBy.PROVIDER);
  }

  @Test
  void envelopeIdIsTheIdempotencyKey() throws Exception {
    ParsedWebhook parsed = Fixtures.parse(adapter, "idv-consented");
    assertThat(parsed.idempotencyKey()).isEqualTo("45a51829-965c-49ac-8fbb-000000000001");
    assertThat(parsed.eventType()).isEqualTo("IdentityVerification.Consented");
  }

  @Test
  void envelopeCreatedUtcIsOccurredAt() throws Exception {
    assertThat(only("kyc-approved").occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:10:00.123Z"));
  }

  @Test
  void abortedExpiresAsAbandoned() throws Exception {
    assertThat(only("idv-status-aborted").reason()).isEqualTo(Reason.of(ReasonCode.ABANDONED, "Aborted"));
  }

  @Test
  void expiredExpiresWithOtherReason() throws Exception {
    assertThat(only("idv-status-expired").reason()).isEqualTo(Reason.of(ReasonCode.OTHER, "Expired"));
  }

  @Test
  void rejectedStatusReasonIsDetailAndClassified() throws Exception {
    assertThat(only("kyc-rejected").reason()).isEqualTo(Reason.of(ReasonCode.DOCUMENT_EXPIRED, "DocumentExpired"));
    assertThat(only("kyc-updated-rejected").reason()).isEqualTo(Reason.of(ReasonCode.FACE_NOT_FOUND, "FaceNotFound"));
    assertThat(only("kyc-rejected-unlisted-reason").reason()).isEqualTo(Reason.of(ReasonCode.OTHER, "Other"));
  }

  @Test
  void externalReferenceIdNamesTheCustomerDirectly() throws Exception {
    CanonicalUpdate u = only("idv-status-with-external-reference");
    assertThat(u.subject()).isEqualTo("cust-42");
    assertThat(u.subjectKind()).isEqualTo(SubjectKind.CUSTOMER);
    assertThat(u.status()).isEqualTo(KycStatus.PROCESSING);
  }

  @Test
  void pascalCaseEnvelopeIsReadCaseInsensitively() throws Exception {
    ParsedWebhook parsed = Fixtures.parse(adapter, "idv-pascal-case-envelope");
    assertThat(parsed.idempotencyKey()).isEqualTo("45a51829-965c-49ac-8fbb-000000000009");
    assertThat(parsed.updates()).containsExactly(new CanonicalUpdate(IDV, SubjectKind.PROVIDER_REFERENCE,
        KycStatus.PENDING, DecidedBy.PROVIDER, null, Instant.parse("2024-05-01T10:10:00Z")));
  }

  @Test
  void unknownEventTypesAreIgnoredButKeepTheirKey() throws Exception {
    ParsedWebhook kyb = Fixtures.parse(adapter, "kyb-unknown-event");
    assertThat(kyb.updates()).isEmpty();
    assertThat(kyb.idempotencyKey()).isNotNull();
    assertThat(Fixtures.parse(adapter, "form-created-unknown-event").updates()).isEmpty();
  }

  @Test
  void kycIdentificationWithoutIdvIdIsMalformed() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "kyc-approved-missing-idv-id"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessageContaining("identityVerificationId");
  }

  @Test
  void idvEventWithoutIdIsMalformed() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "idv-status-missing-id"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessageContaining("payload.id");
  }

  @Test
  void missingTypeOrPayloadIsMalformed() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "missing-type")).isInstanceOf(MalformedWebhookException.class);
    assertThatThrownBy(() -> Fixtures.parse(adapter, "missing-payload"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessageContaining("payload");
  }

  @Test
  void defaultAuthIsHttpBasic() {
    assertThat(adapter.defaultAuth().scheme()).isEqualTo("basic");
  }
}
