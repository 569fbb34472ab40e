package io.kychub.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.ProviderApiSettings;
import io.kychub.providers.api.HttpCalls;
import io.kychub.providers.api.PollRequest;
import io.kychub.providers.api.ProviderApiException;
import io.kychub.providers.api.StartRequest;
import io.kychub.providers.api.StartedVerification;
import io.kychub.providers.p100.P100Client;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The clients' shared HTTP rules, shown with P100's client against its simulator. */
class HttpRetryTest extends SimulatorTestBase {

  private static final HttpCalls.Policy FAST = new HttpCalls.Policy(300, 3, 10);

  private static StartRequest startFor(String customerId) {
    return new StartRequest(TENANT, customerId, "ver-1");
  }

  private static ProviderApiException providerFailure(Throwable failure) {
    assertThat(failure).isInstanceOf(ProviderApiException.class);
    return (ProviderApiException) failure;
  }

  @Test
  void serverErrorsAreRetriedUntilTheProviderAnswers() {
    sims.p100().failNext(2, 503);
    int before = sims.p100().apiCalls();
    StartedVerification started = Await.result(client("p100").start(api("p100"), startFor(newCustomer())));
    assertThat(started.url()).isNotNull();
    assertThat(sims.p100().apiCalls() - before).isEqualTo(3);
  }

  @Test
  void tooManyRequestsIsRetried() {
    sims.p100().failNext(1, 429);
    int before = sims.p100().apiCalls();
    Await.result(client("p100").start(api("p100"), startFor(newCustomer())));
    assertThat(sims.p100().apiCalls() - before).isEqualTo(2);
  }

  @Test
  void persistentServerErrorsEndUnavailableWithTheLastStatusAfterThreeTries() {
    sims.p100().failNext(10, 502);
    int before = sims.p100().apiCalls();
    ProviderApiException failure = providerFailure(
        Await.failure(client("p100").start(api("p100"), startFor(newCustomer()))));
    assertThat(failure.refused()).isFalse();
    assertThat(failure.status()).isEqualTo(502);
    assertThat(failure).hasMessage("provider unavailable");
    assertThat(sims.p100().apiCalls() - before).isEqualTo(3);
  }

  @Test
  void retriesWaitWithExponentialBackoffOfTwoHundredThenFourHundredMillis() {
    sims.p100().failNext(10, 503);
    long started = System.nanoTime();
    Await.failure(client("p100").start(api("p100"), startFor(newCustomer())));
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(600);
  }

  @Test
  void clientErrorsAreRefusedAtOnceWithoutRetry() {
    sims.p100().refuseAll(403);
    int before = sims.p100().apiCalls();
    ProviderApiException failure = providerFailure(
        Await.failure(client("p100").poll(api("p100"), new PollRequest(newCustomer(), null))));
    assertThat(failure.refused()).isTrue();
    assertThat(failure.status()).isEqualTo(403);
    assertThat(failure).hasMessage("provider refused: 403");
    assertThat(sims.p100().apiCalls() - before).isEqualTo(1);
  }

  @Test
  void anUnreachableProviderIsUnavailableWithoutStatus() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ProviderApiSettings down = new ProviderApiSettings("http://127.0.0.1:" + closedPort, "k", null, null, null, null);
    ProviderApiException failure = providerFailure(
        Await.failure(new P100Client(new HttpCalls(webClient, FAST)).start(down, startFor(newCustomer()))));
    assertThat(failure.refused()).isFalse();
    assertThat(failure.status()).isZero();
    assertThat(failure).hasMessage("provider unavailable");
  }

  @Test
  void aSlowAnswerTimesOutAndIsRetried() {
    sims.p100().stallNext(1, 2_000);
    int before = sims.p100().apiCalls();
    Await.result(new P100Client(new HttpCalls(webClient, FAST)).start(api("p100"), startFor(newCustomer())));
    assertThat(sims.p100().apiCalls() - before).isEqualTo(2);
  }

  @Test
  void aProviderThatNeverAnswersInTimeIsUnavailable() {
    sims.p100().stallNext(3, 2_000);
    ProviderApiException failure = providerFailure(
        Await.failure(new P100Client(new HttpCalls(webClient, FAST)).start(api("p100"), startFor(newCustomer()))));
    assertThat(failure.refused()).isFalse();
    assertThat(failure.status()).isZero();
  }

  @Test
  void aMalformedBaseUrlIsRefusedAsASettingsProblem() {
    ProviderApiSettings bad = new ProviderApiSettings("not a url", "key-12345", null, null, null, null);
    ProviderApiException failure = providerFailure(Await.failure(client("p100").start(bad, startFor(newCustomer()))));
    assertThat(failure.kind()).isEqualTo(ProviderApiException.Kind.NOT_CONFIGURED);
    assertThat(failure).hasMessageNotContaining("key-12345");
  }
}
