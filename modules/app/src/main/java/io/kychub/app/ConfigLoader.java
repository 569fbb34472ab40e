package io.kychub.app;

import io.kychub.model.HubConfig;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the configuration with vertx-config: {@code conf/kyc-hub.json} (or the file named by
 * {@code KYC_CONFIG_FILE}), then the environment, which wins; then {@code overrides} (the demo's).
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  public static HubConfig load(Map<String, Object> overrides) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false);
      Path file = Path.of(System.getenv().getOrDefault("KYC_CONFIG_FILE", "conf/kyc-hub.json"));
      if (Files.isRegularFile(file)) {
        options.addStore(new ConfigStoreOptions().setType("file").setFormat("json")
            .setConfig(new JsonObject().put("path", file.toAbsolutePath().toString())));
      }
      options.addStore(new ConfigStoreOptions().setType("env").setConfig(new JsonObject().put("raw-data", true)));
      JsonObject json = ConfigRetriever.create(vertx, options).getConfig().await(30, TimeUnit.SECONDS);
      overrides.forEach(json::put);
      return HubConfig.from(json);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
