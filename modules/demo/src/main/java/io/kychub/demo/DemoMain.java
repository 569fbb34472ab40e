package io.kychub.demo;

import io.kychub.admin.AdminTokens;
import io.kychub.app.ConfigLoader;
import io.kychub.app.HubNode;
import io.kychub.model.HubConfig;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.auth.WebhookSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.kychub.simulator.HubTarget;
import io.kychub.simulator.OperatorReceiver;
import io.kychub.simulator.ProviderSimulator;
import io.kychub.simulator.SimulatorConfig;
import io.kychub.simulator.Simulators;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar kyc-demo.jar}: a working single node for a newcomer, with the providers'
 * simulators in the same process. Uses KYC_DB_URL, else
 * the local PostgreSQL (database {@code kyc_demo}), else an embedded one; keeps its generated
 * secrets in {@code .kyc-demo/}; creates the demo tenant through the admin API; prints what to
 * try.
 */
public final class DemoMain {

  static final String TENANT = "demo";
  static final String CUSTOMER = "cust-1";
  static final String[][] TENANTS = {{TENANT, "Demo Bank"}, {"demo-shop", "Demo Shop"}};

  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(".kyc-demo");
    Files.createDirectories(dir);
    JsonObject secrets = demoSecrets(dir.resolve("secrets.json"));
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("KYC_DB_URL", databaseUrl());
    overrides.put("KYC_JWT_HS256_SECRET", secrets.getString("jwt"));
    overrides.put("KYC_MASTER_KEY", secrets.getString("masterKey"));
    overrides.put("KYC_FINGERPRINT_KEY", secrets.getString("fingerprintKey"));
    // The demo's operator receiver listens on loopback.
    overrides.put("KYC_WEBHOOK_ALLOW_PRIVATE_TARGETS", true);
    HubConfig config = ConfigLoader.load(overrides);
    HubNode node = HubNode.start(config).await(120, TimeUnit.SECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close().await(20, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // ending anyway
      }
    }, "kyc-demo-shutdown"));
    String token = AdminTokens.hs256(node.vertx(), secrets.getString("jwt"), "demo-admin", Duration.ofDays(1));
    Simulators sims = Simulators.start(node.vertx(), SimulatorConfig.defaults()).await(30, TimeUnit.SECONDS);
    List<DemoTenant> tenants = seed(node.vertx(), node.adminPort(), node.publicPort(), token, secrets, sims)
        .await(30, TimeUnit.SECONDS);
    OperatorReceiver receiver = new OperatorReceiver(0, System.out::println);
    node.vertx().deployVerticle(receiver).await(10, TimeUnit.SECONDS);
    String endpoint = registerReceiver(node.vertx(), node.publicPort(), tenants.get(0).apiKey(), receiver)
        .await(30, TimeUnit.SECONDS);
    System.out.println(instructions(node.publicPort(), node.adminPort(), token, tenants, secrets, sims, receiver, endpoint));
  }

  static final String RECEIVER_DESCRIPTION = "the demo's operator receiver";

  /**
   * Registers the receiver as an operator webhook endpoint of the first demo tenant through the
   * operator API (the one of an earlier run, on another port, is deleted first) and gives it the
   * secret the hub showed; the endpoint's id.
   */
  private static Future<String> registerReceiver(Vertx vertx, int publicPort, String apiKey, OperatorReceiver receiver) {
    WebClient client = WebClient.create(vertx);
    String base = "http://127.0.0.1:" + publicPort + "/v1/webhook-endpoints";
    return client.getAbs(base).bearerTokenAuthentication(apiKey).send()
        .compose(r -> expect(r, 200))
        .compose(r -> {
          List<Future<?>> deleted = new ArrayList<>();
          r.bodyAsJsonObject().getJsonArray("endpoints").forEach(e -> {
            JsonObject endpoint = (JsonObject) e;
            if (RECEIVER_DESCRIPTION.equals(endpoint.getString("description"))) {
              deleted.add(client.deleteAbs(base + "/" + endpoint.getString("id")).bearerTokenAuthentication(apiKey).send()
                  .compose(d -> expect(d, 204)));
            }
          });
          return Future.all(deleted);
        })
        .compose(v -> client.postAbs(base).bearerTokenAuthentication(apiKey)
            .sendJsonObject(new JsonObject().put("url", receiver.url()).put("description", RECEIVER_DESCRIPTION)))
        .compose(r -> expect(r, 201))
        .map(r -> {
          receiver.useSecret(r.bodyAsJsonObject().getString("secret"));
          return r.bodyAsJsonObject().getString("id");
        })
        .onComplete(ar -> client.close());
  }

  /** The demo's own secrets, made once and kept, so a restart can still decrypt what it stored. */
  private static JsonObject demoSecrets(Path file) throws IOException {
    if (Files.exists(file)) {
      return new JsonObject(Files.readString(file));
    }
    JsonObject s = new JsonObject()
        .put("jwt", random(48))
        .put("masterKey", random(32))
        .put("fingerprintKey", random(32))
        .put("webhook", "demo-webhook-" + random(12).replaceAll("[^A-Za-z0-9]", ""));
    Files.writeString(file, s.encodePrettily());
    return s;
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  private static String databaseUrl() throws Exception {
    String env = System.getenv("KYC_DB_URL");
    if (env != null && !env.isBlank()) {
      return env;
    }
    if (answers("127.0.0.1", 5432)) {
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
           Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'kyc_demo'")) {
        if (!rs.next()) {
          st.execute("CREATE DATABASE kyc_demo");
        }
        return "postgresql://postgres@127.0.0.1:5432/kyc_demo";
      } catch (Exception e) {
        System.out.println("local PostgreSQL did not accept user postgres (" + e.getMessage() + "); using an embedded one");
      }
    }
    EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        pg.close();
      } catch (IOException ignored) {
        // ending anyway
      }
    }, "kyc-demo-pg"));
    System.out.println("using an embedded PostgreSQL on port " + pg.getPort() + " (its data goes when the demo stops)");
    return "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres";
  }

  private static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** One demo operator: its id, name and the API key the seeding created. */
  record DemoTenant(String id, String name, String apiKey) {}

  /**
   * Creates the two demo operators (both share and accept reuse) with credentials for all five
   * providers, wired to the simulators, and an API key each, through the admin API.
   */
  private static Future<List<DemoTenant>> seed(Vertx vertx, int adminPort, int publicPort, String token, JsonObject secrets,
      Simulators sims) {
    WebClient client = WebClient.create(vertx);
    String base = "http://127.0.0.1:" + adminPort;
    String webhookSecret = secrets.getString("webhook");
    List<DemoTenant> seeded = new ArrayList<>();
    Future<?> chain = Future.succeededFuture();
    for (String[] t : TENANTS) {
      JsonObject tenant = new JsonObject().put("id", t[0]).put("name", t[1])
          .put("reuse", new JsonObject().put("share", true).put("accept", true).put("maxAgeDays", 365));
      chain = chain.compose(v -> client.postAbs(base + "/admin/tenants").bearerTokenAuthentication(token).sendJsonObject(tenant)
          .compose(r -> expect(r, 201, 409)));
      for (ProviderSimulator sim : sims.all()) {
        JsonObject credential = new JsonObject().put("enabled", true)
            .put("webhookAuth", new JsonObject().put("secrets", new JsonArray().add(webhookSecret)).put("username", sim.name()))
            .put("api", sim.apiSettings().toJson());
        sim.addTarget(HubTarget.of("http://127.0.0.1:" + publicPort, t[0], webhookSecret).withUsername(sim.name()));
        chain = chain.compose(v -> client.putAbs(base + "/admin/tenants/" + t[0] + "/providers/" + sim.name())
            .bearerTokenAuthentication(token).sendJsonObject(credential).compose(r -> expect(r, 200, 201)));
      }
      chain = chain
          .compose(v -> client.postAbs(base + "/admin/tenants/" + t[0] + "/api-keys").bearerTokenAuthentication(token)
              .sendJsonObject(new JsonObject().put("label", "demo")))
          .compose(r -> expect(r, 201))
          .map(r -> seeded.add(new DemoTenant(t[0], t[1], r.bodyAsJsonObject().getString("key"))));
    }
    return chain.map(v -> seeded).onComplete(ar -> client.close());
  }

  private static Future<HttpResponse<Buffer>> expect(HttpResponse<Buffer> response, int... statuses) {
    for (int s : statuses) {
      if (response.statusCode() == s) {
        return Future.succeededFuture(response);
      }
    }
    return Future.failedFuture("demo setup: admin API answered " + response.statusCode() + " " + response.bodyAsString());
  }

  static String instructions(int publicPort, int adminPort, String token, List<DemoTenant> tenants, JsonObject secrets,
      Simulators sims, OperatorReceiver receiver, String endpointId) throws Exception {
    String apiKey = tenants.get(0).apiKey();
    String shopKey = tenants.get(1).apiKey();
    String shop = tenants.get(1).id();
    String claims = "{\"documentCountry\":\"ES\",\"documentNumber\":\"X1234567\",\"dateOfBirth\":\"1990-01-31\"}";
    String hub = "http://localhost:" + publicPort;
    String secret = secrets.getString("webhook");
    String sovera = new JsonObject().put("metadata", new JsonObject().put("userId", CUSTOMER)).put("status", "verified")
        .put("description", "Verification signed").put("fullName", "Ada Lovelace").put("age", "36")
        .put("timeStamp", Instant.now().toString()).encode();
    String ripio = new JsonObject().put("eventType", "KYC.IN_REVIEW").put("issueDatetime", Instant.now().toString())
        .put("payload", new JsonObject().put("submissionId", "sub-1").put("customerId", "cust-2")
            .put("createdAt", Instant.now().toString()).put("source", "API").put("metadata", new JsonObject()))
        .encode();
    StringBuilder ripioHeaders = new StringBuilder();
    WebhookSigner.sign(ProviderRegistry.standard().find("ripio").orElseThrow().defaultAuth(), secret,
            ripio.getBytes(StandardCharsets.UTF_8), Instant.now(), null)
        .forEach((name, value) -> ripioHeaders.append("-H '").append(name).append(": ").append(value).append("' "));
    return String.join("\n",
        "",
        "KYC Hub demo is running: public API " + hub + ", admin API http://localhost:" + adminPort,
        "",
        "Admin token (24 h):  " + token,
        "Operator API key:    " + apiKey,
        "Webhook secret of tenant '" + TENANT + "' (every provider): " + secret,
        "",
        "1) Watch the tenant's events (leave it running):",
        "   curl -N -H 'Authorization: Bearer " + apiKey + "' '" + hub + "/v1/events?lastEventId=0'",
        "",
        "2) Send a Sovera webhook (HTTP Basic) that verifies " + CUSTOMER + ":",
        "   curl -u 'sovera:" + secret + "' -H 'content-type: application/json' --data-raw '" + sovera + "' "
            + hub + "/webhooks/" + TENANT + "/sovera",
        "",
        "3) Send a signed Ripio webhook (HMAC-SHA256 of the exact body):",
        "   curl -H 'content-type: application/json' " + ripioHeaders + "--data-raw '"
            + ripio + "' " + hub + "/webhooks/" + TENANT + "/ripio",
        "",
        "4) Read a customer's state and history:",
        "   curl -H 'Authorization: Bearer " + apiKey + "' " + hub + "/v1/customers/" + CUSTOMER + "/kyc",
        "",
        "5) Admin API: curl -H 'Authorization: Bearer " + token + "' http://localhost:" + adminPort + "/admin/tenants",
        "",
        "Operator webhooks: every event of '" + TENANT + "' is also pushed, signed (Standard Webhooks), to the demo's",
        "operator receiver at " + receiver.url() + " (endpoint " + endpointId + "). It checks each signature",
        "and prints a line per delivery (\"operator receiver: signature verified ...\"); it lists the last ones at",
        "   curl http://127.0.0.1:" + receiver.actualPort() + "/received",
        "   and the hub's record of the attempts:",
        "   curl -H 'Authorization: Bearer " + apiKey + "' " + hub + "/v1/webhook-endpoints/" + endpointId + "/attempts",
        "",
        "Verify once, reuse everywhere: '" + TENANT + "' and '" + shop + "' share and accept verifications.",
        "   Shop's API key: " + shopKey,
        "   a) watch the shop's events:",
        "      curl -N -H 'Authorization: Bearer " + shopKey + "' '" + hub + "/v1/events'",
        "   b) the same person (identity claims) is a customer of both:",
        "      curl -X PUT -H 'Authorization: Bearer " + apiKey + "' -H 'content-type: application/json' -d '" + claims + "' "
            + hub + "/v1/customers/ada",
        "      curl -X PUT -H 'Authorization: Bearer " + shopKey + "' -H 'content-type: application/json' -d '" + claims + "' "
            + hub + "/v1/customers/ada-at-shop",
        "   c) both start a verification with Ripio (its simulator answers on " + sims.ripio().baseUrl() + "):",
        "      curl -X POST -H 'Authorization: Bearer " + shopKey + "' -H 'content-type: application/json' "
            + "-d '{\"provider\":\"ripio\"}' " + hub + "/v1/customers/ada-at-shop/verifications",
        "      curl -X POST -H 'Authorization: Bearer " + apiKey + "' -H 'content-type: application/json' "
            + "-d '{\"provider\":\"ripio\"}' " + hub + "/v1/customers/ada/verifications",
        "   d) Ripio verifies her at " + TENANT + " (the simulator sends the signed webhook):",
        "      curl -X POST -H 'content-type: application/json' -d '{\"tenant\":\"" + TENANT
            + "\",\"customerId\":\"ada\",\"status\":\"verified\"}' " + sims.ripio().baseUrl() + "/_sim/webhooks",
        "      → the shop's stream shows ada-at-shop verified with decidedBy \"reuse\".",
        "",
        "Provider simulators: " + String.join(", ", sims.all().stream().map(x -> x.name() + " " + x.baseUrl()).toList()),
        "",
        "Stop with Ctrl-C.");
  }
}
