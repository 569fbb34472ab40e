package io.kychub.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs simulators by hand.
 *
 * <pre>
 * SimulatorMain --provider ripio --port 9101 [--hub http://localhost:8080 --tenant demo --secret s
 *               [--username u] [--scheme standard-webhooks]] [--host 127.0.0.1] [--api-key k]
 * SimulatorMain --all --port 9101 ...   (vivamo, sovera, ripio, p100, ondato on 9101..9105)
 * </pre>
 */
public final class SimulatorMain {

  private static final String USAGE = "usage: (--provider <vivamo|sovera|ripio|p100|ondato> | --all) [--port 9101]"
      + " [--host 127.0.0.1] [--api-key k] [--hub http://localhost:8080 --tenant t --secret s [--username u]"
      + " [--scheme standard-webhooks]]";

  private SimulatorMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options;
    SimulatorConfig config;
    try {
      options = options(args);
      config = config(options);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    List<ProviderSimulator> sims = start(vertx, config, options).await(30, TimeUnit.SECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // ending anyway
      }
    }, "kyc-simulator-shutdown"));
    for (ProviderSimulator sim : sims) {
      System.out.println(sim.name() + " simulator on " + sim.baseUrl() + "  api settings: " + sim.apiSettings().toJson().encode());
      if (options.containsKey("hub")) {
        HubTarget target = target(options);
        try {
          sim.addTarget(target);
          System.out.println("  webhooks for tenant " + target.tenant() + " go to " + target.webhookUrl(sim.name()));
        } catch (IllegalArgumentException e) {
          System.out.println("  no hub target: " + e.getMessage() + " (add --username, or POST /_sim/targets)");
        }
      }
    }
  }

  private static Future<List<ProviderSimulator>> start(Vertx vertx, SimulatorConfig config, Map<String, String> options) {
    if (options.containsKey("all")) {
      return Simulators.start(vertx, config).map(Simulators::all);
    }
    ProviderSimulator sim = Simulators.create(options.get("provider"), config);
    return vertx.deployVerticle(sim).map(id -> List.of(sim));
  }

  static SimulatorConfig config(Map<String, String> options) {
    SimulatorConfig config = SimulatorConfig.defaults().withPort(Integer.parseInt(options.getOrDefault("port", "9101")));
    if (options.containsKey("host")) {
      config = config.withHost(options.get("host"));
    }
    return options.containsKey("api-key") ? config.withApiKey(options.get("api-key")) : config;
  }

  static HubTarget target(Map<String, String> options) {
    HubTarget target = HubTarget.of(options.get("hub"), options.get("tenant"), options.get("secret"));
    if (options.containsKey("username")) {
      target = target.withUsername(options.get("username"));
    }
    return options.containsKey("scheme") ? target.withScheme(options.get("scheme")) : target;
  }

  /** {@code --name value} pairs; {@code --all} stands alone. */
  static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      if (name.equals("all")) {
        options.put(name, "true");
      } else if (i + 1 < args.length) {
        options.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
    }
    if (options.containsKey("all") == options.containsKey("provider")) {
      throw new IllegalArgumentException("give either --provider or --all");
    }
    if (options.containsKey("provider") && !Simulators.PROVIDERS.contains(options.get("provider"))) {
      throw new IllegalArgumentException("unknown provider " + options.get("provider"));
    }
    if (options.containsKey("hub") && !(options.containsKey("tenant") && options.containsKey("secret"))) {
      throw new IllegalArgumentException("--hub needs --tenant and --secret");
    }
    return options;
  }
}
