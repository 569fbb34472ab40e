package io.kychub.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.KycStatus;
import io.kychub.model.ProviderApiSettings;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.SubjectKind;
import io.kychub.providers.api.PollRequest;
import io.kychub.providers.api.ProviderApiException;
import io.kychub.providers.api.StartRequest;
import io.kychub.providers.api.StartedVerification;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each provider client against its simulator over real HTTP: start, poll and (Vivamo) decide. */
class ProviderClientsTest extends SimulatorTestBase {

  private static StartedVerification start(String provider, ProviderApiSettings api, String customerId) {
    return Await.result(client(provider).start(api, new StartRequest(TENANT, customerId, "ver-1")));
  }

  private static Optional<CanonicalUpdate> poll(String provider, String customerId, String reference) {
    return Await.result(client(provider).poll(api(provider), new PollRequest(customerId, reference)));
  }

  private static ProviderApiException refusal(Throwable failure) {
    assertThat(failure).isInstanceOf(ProviderApiException.class);
    return (ProviderApiException) failure;
  }

  @Test
  void vivamoStartHandsOutTheLinkAndTheSdkClientSecret() {
    String customer = newCustomer();
    StartedVerification started = start("vivamo", api("vivamo"), customer);
    assertThat(started.url()).startsWith(sims.vivamo().baseUrl() + "/verify/" + customer);
    assertThat(started.clientSecret()).startsWith("cs_");
    assertThat(started.providerReference()).isNull();
    assertThat(poll("vivamo", customer, null)).get().extracting(CanonicalUpdate::status).isEqualTo(KycStatus.PENDING);
  }

  @Test
  void vivamoPollReportsAStatusWhoseWebhookWasDropped() {
    String customer = newCustomer();
    sims.vivamo().setStatus(customer, KycStatus.UNDER_REVIEW, Reason.of(ReasonCode.DOCUMENT_ISSUE, "Document glare"));
    CanonicalUpdate update = poll("vivamo", customer, null).orElseThrow();
    assertThat(update.subject()).isEqualTo(customer);
    assertThat(update.subjectKind()).isEqualTo(SubjectKind.CUSTOMER);
    assertThat(update.status()).isEqualTo(KycStatus.UNDER_REVIEW);
    assertThat(update.reason()).isEqualTo(Reason.of(ReasonCode.DOCUMENT_ISSUE, "Document glare"));
    assertThat(update.occurredAt()).isEqualTo(sims.vivamo().customer(customer).orElseThrow().updatedAt());
    assertThat(hub.received()).isEmpty();
  }

  @Test
  void vivamoDecisionIsForwardedAndPollsBackAsAnOperatorDecision() {
    String customer = newCustomer();
    sims.vivamo().setStatus(customer, KycStatus.UNDER_REVIEW, null);
    assertThat(client("vivamo").supportsDecision()).isTrue();
    Await.result(client("vivamo").decide(api("vivamo"), new PollRequest(customer, null), false));
    CanonicalUpdate update = poll("vivamo", customer, null).orElseThrow();
    assertThat(update.status()).isEqualTo(KycStatus.REJECTED);
    assertThat(update.decidedBy()).isEqualTo(DecidedBy.OPERATOR);
  }

  @Test
  void vivamoRefusesADecisionForACustomerWhoNeverAttempted() {
    String customer = newCustomer();
    start("vivamo", api("vivamo"), customer);
    Throwable failure = Await.failure(client("vivamo").decide(api("vivamo"), new PollRequest(customer, null), true));
    assertThat(refusal(failure).refused()).isTrue();
    assertThat(refusal(failure).status()).isEqualTo(409);
  }

  @Test
  void providersWithoutADecisionApiDoNotClaimOne() {
    for (String provider : new String[] {"sovera", "ripio", "p100", "ondato"}) {
      assertThat(client(provider).supportsDecision()).as(provider).isFalse();
    }
  }

  @Test
  void ripioStartOpensASubmissionWhoseStatusPollReads() {
    String customer = newCustomer();
    StartedVerification started = start("ripio", api("ripio"), customer);
    assertThat(started.url()).isEqualTo(sims.ripio().baseUrl() + "/verify/" + customer);
    assertThat(started.providerReference()).isEqualTo(sims.ripio().customer(customer).orElseThrow().reference());
    assertThat(poll("ripio", customer, null)).get().extracting(CanonicalUpdate::status).isEqualTo(KycStatus.PENDING);

    sims.ripio().setStatus(customer, KycStatus.REJECTED, null);
    CanonicalUpdate failed = poll("ripio", customer, null).orElseThrow();
    assertThat(failed.status()).isEqualTo(KycStatus.REJECTED);
    assertThat(failed.reason()).isEqualTo(Reason.of(ReasonCode.VALIDATION_FAILED, "KYC.FAILED"));
  }

  @Test
  void ripioPollOfACustomerWithoutSubmissionsIsEmpty() {
    assertThat(poll("ripio", newCustomer(), null)).isEmpty();
  }

  @Test
  void p100StartAnswersTheLinkAndPollMapsTheAttempt() {
    String customer = newCustomer();
    assertThat(start("p100", api("p100"), customer).url()).isEqualTo(sims.p100().baseUrl() + "/verify/" + customer);
    sims.p100().setStatus(customer, KycStatus.PROCESSING, null);
    assertThat(poll("p100", customer, null)).get().extracting(CanonicalUpdate::status).isEqualTo(KycStatus.PROCESSING);
    sims.p100().setStatus(customer, KycStatus.REJECTED, Reason.of(ReasonCode.FACE_NOT_FOUND, null));
    assertThat(poll("p100", customer, null).orElseThrow().reason())
        .isEqualTo(Reason.of(ReasonCode.FACE_NOT_FOUND, "NO_FACE_FOUND"));
  }

  @Test
  void p100PollOfAnUnknownUserIsRefused() {
    Throwable failure = Await.failure(client("p100").poll(api("p100"), new PollRequest(newCustomer(), null)));
    assertThat(refusal(failure).status()).isEqualTo(404);
  }

  @Test
  void ondatoStartCreatesAnIdentityVerificationLinkedThroughTheWhiteLabelUrl() {
    String customer = newCustomer();
    StartedVerification started = start("ondato", api("ondato"), customer);
    assertThat(started.providerReference()).isEqualTo(sims.ondato().customer(customer).orElseThrow().reference());
    assertThat(started.url()).isEqualTo(sims.ondato().baseUrl() + "/verify/?id=" + started.providerReference());
  }

  @Test
  void ondatoLinkIsOndatosOwnPageWithoutAWhiteLabelUrl() {
    ProviderApiSettings api = api("ondato");
    ProviderApiSettings plain = new ProviderApiSettings(api.baseUrl(), null, api.clientId(), api.clientSecret(), api.setupId(), null);
    StartedVerification started = start("ondato", plain, newCustomer());
    assertThat(started.url()).isEqualTo("https://idv.ondato.com/?id=" + started.providerReference());
  }

  @Test
  void ondatoPollMapsTheIdentityVerificationStatusToTheCustomer() {
    String customer = newCustomer();
    String idv = start("ondato", api("ondato"), customer).providerReference();
    assertThat(poll("ondato", customer, idv)).get().extracting(CanonicalUpdate::status).isEqualTo(KycStatus.PENDING);
    sims.ondato().setStatus(customer, KycStatus.PROCESSING, null);
    assertThat(poll("ondato", customer, idv)).get().extracting(CanonicalUpdate::status).isEqualTo(KycStatus.PROCESSING);
    sims.ondato().setStatus(customer, KycStatus.EXPIRED, Reason.of(ReasonCode.ABANDONED, null));
    CanonicalUpdate aborted = poll("ondato", customer, idv).orElseThrow();
    assertThat(aborted.subject()).isEqualTo(customer);
    assertThat(aborted.status()).isEqualTo(KycStatus.EXPIRED);
    assertThat(aborted.reason().code()).isEqualTo(ReasonCode.ABANDONED);
    sims.ondato().setStatus(customer, KycStatus.VERIFIED, null);
    assertThat(poll("ondato", customer, idv)).get().extracting(CanonicalUpdate::status).isEqualTo(KycStatus.VERIFIED);
  }

  @Test
  void ondatoPollWithoutAProviderReferenceIsEmpty() {
    assertThat(poll("ondato", newCustomer(), null)).isEmpty();
  }

  @Test
  void soveraLinkIsTheConfiguredKycUrlWithTheCustomerId() {
    assertThat(start("sovera", api("sovera"), "cust 7").url()).isEqualTo(sims.sovera().baseUrl() + "/verify/cust%207");
    ProviderApiSettings plain = new ProviderApiSettings(null, null, null, null, null, "https://kyc.sovera.example/start");
    assertThat(start("sovera", plain, "cust-7").url()).isEqualTo("https://kyc.sovera.example/start?userId=cust-7");
  }

  @Test
  void soveraStartIsRefusedWithoutAKycUrl() {
    Throwable failure = Await.failure(client("sovera").start(ProviderApiSettings.NONE, new StartRequest(TENANT, "c", "v")));
    assertThat(refusal(failure).kind()).as("the hub's settings, not the provider").isEqualTo(ProviderApiException.Kind.NOT_CONFIGURED);
    assertThat(failure).hasMessageContaining("kycUrl");
  }

  @Test
  void soveraHasNothingToPoll() {
    assertThat(poll("sovera", newCustomer(), null)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"vivamo", "ripio", "p100"})
  void aWrongApiKeyIsRefusedAndTheMessageHoldsNoSecret(String provider) {
    ProviderApiSettings wrong = new ProviderApiSettings(api(provider).baseUrl(), "not-the-key", null, null, null, null);
    Throwable failure = Await.failure(client(provider).start(wrong, new StartRequest(TENANT, newCustomer(), "v")));
    assertThat(refusal(failure).refused()).isTrue();
    assertThat(refusal(failure).status()).isEqualTo(401);
    assertThat(failure).hasMessage("provider refused: 401");
  }

  @ParameterizedTest
  @ValueSource(strings = {"vivamo", "ripio", "p100", "ondato"})
  void aMissingSettingIsRefusedNamingTheSetting(String provider) {
    ProviderApiSettings api = api(provider);
    ProviderApiSettings noBase = new ProviderApiSettings(null, api.apiKey(), api.clientId(), api.clientSecret(), api.setupId(), null);
    Throwable failure = Await.failure(client(provider).start(noBase, new StartRequest(TENANT, newCustomer(), "v")));
    assertThat(refusal(failure).kind()).as("the hub's settings, not the provider").isEqualTo(ProviderApiException.Kind.NOT_CONFIGURED);
    assertThat(refusal(failure).status()).isZero();
    assertThat(failure).hasMessage(provider + " API setting 'baseUrl' is not configured");
  }

  @Test
  void ondatoNeedsItsSetupId() {
    ProviderApiSettings api = api("ondato");
    ProviderApiSettings noSetup = new ProviderApiSettings(api.baseUrl(), null, api.clientId(), api.clientSecret(), null, null);
    Throwable failure = Await.failure(client("ondato").start(noSetup, new StartRequest(TENANT, newCustomer(), "v")));
    assertThat(failure).hasMessage("ondato API setting 'setupId' is not configured");
  }
}
