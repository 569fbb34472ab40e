package io.kychub.app;

import io.kychub.model.ConfigException;
import io.kychub.model.HubConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar kyc-hub.jar} starts a node from the configuration. */
public final class HubMain {

  private static final Logger LOG = LoggerFactory.getLogger(HubMain.class);

  private HubMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      System.err.println(args[0].equals("demo")
          ? "the demo is a jar of its own: java -jar modules/demo/target/kyc-demo.jar"
          : "usage: java -jar kyc-hub.jar (a node from conf/kyc-hub.json and the environment)");
      System.exit(64);
    }
    HubConfig config;
    try {
      config = ConfigLoader.load(Map.of());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    HubNode node;
    try {
      node = HubNode.start(config).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("KYC Hub could not start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close().await(20, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // the process is ending anyway
      }
    }, "kyc-shutdown"));
  }
}
