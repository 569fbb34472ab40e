package io.kychub.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The five simulators together: started on consecutive ports, one target per tenant and provider. */
public final class Simulators {

  /** Provider names in port order: {@code vivamo} gets the first port, {@code ondato} the fifth. */
  public static final List<String> PROVIDERS = List.of("vivamo", "sovera", "ripio", "p100", "ondato");

  private static final Map<String, Function<SimulatorConfig, ProviderSimulator>> FACTORIES = Map.of(
      "vivamo", VivamoSimulator::new,
      "sovera", SoveraSimulator::new,
      "ripio", RipioSimulator::new,
      "p100", P100Simulator::new,
      "ondato", OndatoSimulator::new);

  private final Vertx vertx;
  private final Map<String, ProviderSimulator> byName;
  private final List<String> deployments;

  private Simulators(Vertx vertx, Map<String, ProviderSimulator> byName, List<String> deployments) {
    this.vertx = vertx;
    this.byName = byName;
    this.deployments = deployments;
  }

  /** A new, not yet deployed simulator of {@code provider}. */
  public static ProviderSimulator create(String provider, SimulatorConfig config) {
    Function<SimulatorConfig, ProviderSimulator> factory = FACTORIES.get(provider);
    if (factory == null) {
      throw new IllegalArgumentException("no simulator for provider " + provider + "; known: " + PROVIDERS);
    }
    return factory.apply(config);
  }

  /**
   * Deploys all five. With {@code config.port()} 0 each gets a free port; otherwise they listen on
   * {@code port}, {@code port + 1} ... in {@link #PROVIDERS} order.
   */
  public static Future<Simulators> start(Vertx vertx, SimulatorConfig config) {
    Map<String, ProviderSimulator> byName = new LinkedHashMap<>();
    for (int i = 0; i < PROVIDERS.size(); i++) {
      String provider = PROVIDERS.get(i);
      byName.put(provider, create(provider, config.withPort(config.port() == 0 ? 0 : config.port() + i)));
    }
    List<Future<String>> deployed = new ArrayList<>();
    byName.values().forEach(sim -> deployed.add(vertx.deployVerticle(sim)));
    return Future.all(deployed).transform(ar -> {
      List<String> ids = deployed.stream().filter(Future::succeeded).map(Future::result).toList();
      Simulators simulators = new Simulators(vertx, byName, ids);
      return ar.succeeded() ? Future.succeededFuture(simulators)
          : simulators.stop().transform(ignored -> Future.failedFuture(ar.cause()));
    });
  }

  public ProviderSimulator get(String provider) {
    ProviderSimulator sim = byName.get(provider);
    if (sim == null) {
      throw new IllegalArgumentException("no simulator for provider " + provider);
    }
    return sim;
  }

  public VivamoSimulator vivamo() {
    return (VivamoSimulator) get("vivamo");
  }

  public SoveraSimulator sovera() {
    return (SoveraSimulator) get("sovera");
  }

  public RipioSimulator ripio() {
    return (RipioSimulator) get("ripio");
  }

  public P100Simulator p100() {
    return (P100Simulator) get("p100");
  }

  public OndatoSimulator ondato() {
    return (OndatoSimulator) get("ondato");
  }

  public List<ProviderSimulator> all() {
    return List.copyOf(byName.values());
  }

  /** Undeploys all five (their servers close, state is lost). */
  public Future<Void> stop() {
    return Future.join(deployments.stream().map(vertx::undeploy).toList()).mapEmpty();
  }
}
