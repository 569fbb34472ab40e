package io.kychub.simulator;

import io.kychub.model.ProviderApiSettings;
import io.kychub.model.SecretValue;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.api.ProviderClient;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * All five simulators on free ports, a recording stand-in hub with tenant {@code acme} as every
 * simulator's target, and a web client for the provider clients under test.
 */
abstract class SimulatorTestBase {

  static final String TENANT = "acme";

  /** Each provider's webhook secret for tenant acme, and the Basic username where it needs one. */
  static final Map<String, String> SECRETS = Map.of(
      "vivamo", "vivamo-hmac-key", "sovera", "sovera-password", "ripio", "ripio-hmac-key",
      "p100", "p100-static-token", "ondato", "ondato-password");
  static final Map<String, String> USERNAMES = Map.of("sovera", "sovera-user", "ondato", "ondato-user");

  static final ProviderRegistry REGISTRY = ProviderRegistry.standard();

  static Vertx vertx;
  static Simulators sims;
  static HubReceiver hub;
  static WebClient webClient;

  @BeforeAll
  static void startSimulators() {
    vertx = Vertx.vertx();
    sims = Await.result(Simulators.start(vertx, SimulatorConfig.defaults()));
    hub = HubReceiver.start(vertx);
    webClient = WebClient.create(vertx);
    for (ProviderSimulator sim : sims.all()) {
      HubTarget target = HubTarget.of(hub.url(), TENANT, SECRETS.get(sim.name()));
      sim.addTarget(USERNAMES.containsKey(sim.name()) ? target.withUsername(USERNAMES.get(sim.name())) : target);
    }
  }

  @AfterEach
  void clearFaultsAndHub() {
    sims.all().forEach(ProviderSimulator::clearFaults);
    hub.reset();
  }

  @AfterAll
  static void stopSimulators() throws Exception {
    webClient.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static ProviderClient client(String provider) {
    return REGISTRY.find(provider).orElseThrow().client(webClient);
  }

  static ProviderApiSettings api(String provider) {
    return sims.get(provider).apiSettings();
  }

  /** The tenant's credential as the hub would hold it: its secret and username over the provider defaults. */
  static WebhookAuthConfig tenantAuth(String provider, String secret) {
    return new WebhookAuthConfig(null, List.of(new SecretValue(secret, null)), USERNAMES.get(provider),
        null, null, null, null, List.of(), null).withDefaults(REGISTRY.find(provider).orElseThrow().defaultAuth());
  }

  static String newCustomer() {
    return "cust-" + UUID.randomUUID();
  }
}
