package io.kychub.providers.p100;

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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class P100AdapterTest extends ProviderContractTestBase {

  private static final String USER = "bca65c48-df49-4831-a7b2-de7903321581";

  @Override
  protected ProviderAdapter newAdapter() {
    return new P100Adapter();
  }

  @Override
  protected String fixtureDirectory() {
    return "p100";
  }

  @Override
  protected List<String> malformedFixtures() {
    return List.of("not-json", "missing-verification-status");
  }

  @Override
  protected List<String> missingSubjectFixtures() {
    return List.of("missing-external-user-id");
  }

  @Override
  protected List<String> unknownEventFixtures() {
    return List.of("unknown-verification-status", "unknown-attempt-status");
  }

  /** P100's other webhooks (balances, files, proof of address) go to other endpoints. */
  @Override
  protected List<String> ignoredEventFixtures() {
    return List.of();
  }

  /** The documented example, and one fixture per documented status and attempt status. */
  @Override
  protected List<Mapping> documentedExamples() {
    return List.of(
        maps("rejected-no-face-found", KycStatus.REJECTED),
        maps("not-verified-no-attempt", KycStatus.PENDING),
        maps("not-verified-pending", KycStatus.PENDING),
        maps("not-verified-verification", KycStatus.PROCESSING),
        maps("not-verified-successful", KycStatus.VERIFIED),
        maps("verified", KycStatus.VERIFIED),
        maps("expired", KycStatus.EXPIRED));
  }

  @Override
  protected List<Mapping> otherMappings() {
    return List.of(
        maps("verified-successful", KycStatus.VERIFIED),
        maps("rejected-document-expired", KycStatus.REJECTED),
        maps("rejected-aml", KycStatus.REJECTED),
        maps("rejected-underage", KycStatus.REJECTED),
        maps("rejected-bad-image", KycStatus.REJECTED),
        maps("rejected-unknown-reason", KycStatus.REJECTED),
        maps("rejected-without-reason", KycStatus.REJECTED));
  }

  private CanonicalUpdate only(String fixture) throws MalformedWebhookException {
    ParsedWebhook parsed = Fixtures.parse(adapter, fixture);
    assertThat(parsed.updates()).hasSize(1);
    return parsed.updates().get(0);
  }

  @Test
  void documentedExampleNoFaceFoundMapsToFaceNotFound() throws Exception {
    assertThat(only("rejected-no-face-found")).isEqualTo(new CanonicalUpdate(USER, SubjectKind.CUSTOMER,
        KycStatus.REJECTED, DecidedBy.PROVIDER, Reason.of(ReasonCode.FACE_NOT_FOUND, "NO_FACE_FOUND"), null));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "not-verified-no-attempt, PENDING",
      "not-verified-pending, PENDING",
      "not-verified-verification, PROCESSING",
      "not-verified-successful, VERIFIED",
      "verified, VERIFIED",
      "verified-successful, VERIFIED",
      "expired, EXPIRED"})
  void verificationAndAttemptStatusMapToCanonicalStatus(String fixture, KycStatus status) throws Exception {
    CanonicalUpdate u = only(fixture);
    assertThat(u.status()).isEqualTo(status);
    assertThat(u.subject()).isEqualTo(USER);
    assertThat(u.reason()).isNull();
    assertThat(u.occurredAt()).isNull();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "rejected-document-expired, DOCUMENT_EXPIRED, DOCUMENT_EXPIRED",
      "rejected-aml, AML_HIT, AML_SCREENING_HIT",
      "rejected-underage, UNDERAGE, AGE_BELOW_MINIMUM",
      "rejected-bad-image, DOCUMENT_ISSUE, BAD_IMAGE_QUALITY",
      "rejected-unknown-reason, OTHER, SOMETHING_ELSE"})
  void rejectionReasonIsClassifiedAndKeptAsDetail(String fixture, ReasonCode code, String detail) throws Exception {
    CanonicalUpdate u = only(fixture);
    assertThat(u.status()).isEqualTo(KycStatus.REJECTED);
    assertThat(u.reason()).isEqualTo(Reason.of(code, detail));
  }

  @Test
  void rejectionWithoutReasonIsOther() throws Exception {
    assertThat(only("rejected-without-reason").reason()).isEqualTo(Reason.of(ReasonCode.OTHER, null));
  }

  @Test
  void unknownStatusesAreIgnored() throws Exception {
    assertThat(Fixtures.parse(adapter, "unknown-verification-status").updates()).isEmpty();
    ParsedWebhook attempt = Fixtures.parse(adapter, "unknown-attempt-status");
    assertThat(attempt.updates()).isEmpty();
    assertThat(attempt.eventType()).isEqualTo("NOT_VERIFIED/CANCELLED_BY_USER");
  }

  @Test
  void missingExternalUserIdIsMalformed() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "missing-external-user-id"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessageContaining("externalUserId");
  }

  @Test
  void missingVerificationStatusIsMalformed() {
    assertThatThrownBy(() -> Fixtures.parse(adapter, "missing-verification-status"))
        .isInstanceOf(MalformedWebhookException.class)
        .hasMessageContaining("verificationStatus");
  }

  @Test
  void defaultAuthIsStaticTokenWithOptionalBearer() {
    assertThat(adapter.defaultAuth().scheme()).isEqualTo("token");
    assertThat(adapter.defaultAuth().header()).isEqualTo("Authorization");
    assertThat(adapter.defaultAuth().prefix()).isEqualTo("Bearer ");
  }
}
