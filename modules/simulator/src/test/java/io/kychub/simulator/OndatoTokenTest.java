package io.kychub.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.ProviderApiSettings;
import io.kychub.providers.api.HttpCalls;
import io.kychub.providers.api.PollRequest;
import io.kychub.providers.api.ProviderApiException;
import io.kychub.providers.api.StartRequest;
import io.kychub.providers.ondato.OndatoClient;
import io.kychub.providers.ondato.OndatoTokens;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ondato's access token: fetched once, shared, renewed before expiry, dropped when Ondato refuses it. */
class OndatoTokenTest extends SimulatorTestBase {

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private ManualClock clock;
  private OndatoClient client;

  @BeforeEach
  void freshTokenCache() {
    clock = new ManualClock();
    client = new OndatoClient(new HttpCalls(webClient), new OndatoTokens(clock));
  }

  private String start(ProviderApiSettings api) {
    return Await.result(client.start(api, new StartRequest(TENANT, newCustomer(), "v"))).providerReference();
  }

  @Test
  void oneTokenServesManyCalls() {
    int before = sims.ondato().tokenCalls();
    String idv = start(api("ondato"));
    start(api("ondato"));
    Await.result(client.poll(api("ondato"), new PollRequest("c", idv)));
    assertThat(sims.ondato().tokenCalls() - before).isEqualTo(1);
  }

  @Test
  void concurrentCallsShareOneTokenRequest() {
    int before = sims.ondato().tokenCalls();
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(client.start(api("ondato"), new StartRequest(TENANT, newCustomer(), "v")));
    }
    Await.result(Future.all(calls));
    assertThat(sims.ondato().tokenCalls() - before).isEqualTo(1);
  }

  @Test
  void aTokenIsRenewedShortlyBeforeItExpires() {
    int before = sims.ondato().tokenCalls();
    start(api("ondato"));
    clock.advance(Duration.ofSeconds(3600 - 31));
    start(api("ondato"));
    assertThat(sims.ondato().tokenCalls() - before).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    start(api("ondato"));
    assertThat(sims.ondato().tokenCalls() - before).isEqualTo(2);
  }

  @Test
  void aTokenOndatoNoLongerAcceptsIsDroppedAndReplacedOnce() {
    int before = sims.ondato().tokenCalls();
    start(api("ondato"));
    sims.ondato().revokeTokens();
    assertThat(start(api("ondato"))).isNotNull();
    start(api("ondato"));
    assertThat(sims.ondato().tokenCalls() - before).isEqualTo(2);
  }

  @Test
  void aCachedTokenIsNotHandedToSettingsWithAnotherClientSecret() {
    start(api("ondato"));
    ProviderApiSettings api = api("ondato");
    ProviderApiSettings wrongSecret = new ProviderApiSettings(api.baseUrl(), null, api.clientId(), "guessed", api.setupId(), null);
    Throwable failure = Await.failure(client.start(wrongSecret, new StartRequest(TENANT, newCustomer(), "v")));
    assertThat(failure).isInstanceOf(ProviderApiException.class);
    assertThat(((ProviderApiException) failure).refused()).isTrue();
    assertThat(((ProviderApiException) failure).status()).isEqualTo(401);
  }

  @Test
  void aFailedTokenRequestIsNotCached() {
    sims.ondato().failNext(3, 503);
    assertThat(Await.failure(client.start(api("ondato"), new StartRequest(TENANT, newCustomer(), "v"))))
        .hasMessage("provider unavailable");
    assertThat(start(api("ondato"))).isNotNull();
  }

  @Test
  void tokensComeFromTheTokenUrlWhenOneIsSet() {
    ProviderApiSettings sim = api("ondato");
    int before = sims.ondato().tokenCalls();
    ProviderApiSettings separateHost = new ProviderApiSettings(sim.baseUrl(), null, sim.clientId(), sim.clientSecret(),
        sim.setupId(), sim.kycUrl(), sim.baseUrl() + OndatoSimulator.IDENTITY_PATH + "/connect/token");
    assertThat(start(separateHost)).isNotNull();
    assertThat(sims.ondato().tokenCalls() - before).isEqualTo(1);

    ProviderApiSettings deadTokenHost = new ProviderApiSettings(sim.baseUrl(), null, sim.clientId(), sim.clientSecret(),
        sim.setupId(), sim.kycUrl(), "http://127.0.0.1:1/connect/token");
    Future<?> refused = client.start(deadTokenHost, new StartRequest(TENANT, newCustomer(), "v"));
    assertThat(Await.failure(refused)).as("the API host is not asked for tokens").isNotNull();
    assertThat(sims.ondato().tokenCalls() - before).isEqualTo(1);
  }
}
