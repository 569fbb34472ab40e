package io.kychub.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {

  @Test
  void oneProviderWithAHubTarget() {
    Map<String, String> options = SimulatorMain.options(new String[] {
        "--provider", "sovera", "--port", "9102", "--hub", "http://localhost:8080", "--tenant", "demo",
        "--secret", "pw", "--username", "sovera"});
    assertThat(SimulatorMain.config(options).port()).isEqualTo(9102);
    HubTarget target = SimulatorMain.target(options);
    assertThat(target.webhookUrl("sovera")).isEqualTo("http://localhost:8080/webhooks/demo/sovera");
    assertThat(target.auth().username()).isEqualTo("sovera");
  }

  @Test
  void allProvidersWithASchemeOverride() {
    Map<String, String> options = SimulatorMain.options(new String[] {
        "--all", "--hub", "http://hub", "--tenant", "t", "--secret", "whsec_a2V5", "--scheme", "standard-webhooks"});
    assertThat(options).containsEntry("all", "true");
    assertThat(SimulatorMain.target(options).auth().scheme()).isEqualTo("standard-webhooks");
  }

  @Test
  void eitherOneProviderOrAll() {
    assertThatThrownBy(() -> SimulatorMain.options(new String[] {"--port", "1"})).hasMessageContaining("--provider or --all");
    assertThatThrownBy(() -> SimulatorMain.options(new String[] {"--all", "--provider", "p100"}))
        .hasMessageContaining("--provider or --all");
    assertThatThrownBy(() -> SimulatorMain.options(new String[] {"--provider", "acme"})).hasMessageContaining("unknown provider");
  }

  @Test
  void aHubNeedsTenantAndSecret() {
    assertThatThrownBy(() -> SimulatorMain.options(new String[] {"--all", "--hub", "http://hub", "--tenant", "t"}))
        .hasMessageContaining("--secret");
  }
}
