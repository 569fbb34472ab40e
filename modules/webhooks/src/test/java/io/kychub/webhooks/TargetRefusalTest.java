package io.kychub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.DecidedBy;
import io.kychub.model.HubConfig;
import io.kychub.model.KycStatus;
import io.kychub.model.StatusChangedEvent;
import io.kychub.store.AuditStore;
import io.kychub.store.Database;
import io.kychub.store.SecretBox;
import io.kychub.store.WebhookStore;
import io.kychub.testkit.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A target is checked again before every connection: a name that resolved to a public address
 * when its endpoint was made, and to a private one by the time of delivery, gets no request.
 */
class TargetRefusalTest {

  private static Vertx vertx;
  private static Pool pool;
  private static WebhookStore store;
  private static final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    String url = TestDatabase.freshDatabaseUrl(TargetRefusalTest.class);
    vertx = Vertx.vertx();
    Database.migrate(vertx, url).await(60, TimeUnit.SECONDS);
    pool = Database.pool(vertx, url, 4);
    sql("INSERT INTO tenants (id, name) VALUES ('acme', 'Acme')");
    sql("INSERT INTO tenant_sequences (tenant_id) VALUES ('acme')");
    store = new WebhookStore(pool, new SecretBox(new HubConfig.MasterKeys("k1", Map.of("k1", new byte[32]))));
    Resolver resolver = host -> Future.succeededFuture(names.getOrDefault(host, List.of()));
    vertx.deployVerticle(new WebhookSender(store, new AuditStore(pool), resolver,
        new WebhookSender.Settings(new TargetPolicy(false), new RetrySchedule(1.0), Duration.ofDays(5), 1_000),
        new SimpleMeterRegistry())).await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static List<Row> sql(String statement, Object... params) throws Exception {
    List<Row> rows = new ArrayList<>();
    pool.preparedQuery(statement).execute(Tuple.wrap(params)).await(10, TimeUnit.SECONDS).forEach(rows::add);
    return rows;
  }

  @Test
  void aNameThatResolvesToAPrivateAddressByTheTimeOfDeliveryIsRefused() throws Exception {
    names.put("hooks.example.test", List.of(InetAddress.getByName("93.184.216.34")));
    TargetPolicy policy = new TargetPolicy(false);
    assertThat(policy.checkAddresses("hooks.example.test", names.get("hooks.example.test"))).as("at creation").isEmpty();
    WebhookStore.Endpoint endpoint = store.create("we_ssrfssrfssrfssrf", "acme", "https://hooks.example.test/kyc", null, null,
        Signatures.newSecret()).await(10, TimeUnit.SECONDS);
    // Later the name points into the hub's own network.
    names.put("hooks.example.test", List.of(InetAddress.getByName("10.0.0.1")));
    StatusChangedEvent e = new StatusChangedEvent(1, "acme", "c-1", "v-1", "sovera", KycStatus.VERIFIED, null,
        DecidedBy.PROVIDER, null, Instant.now(), Instant.now(), null);
    sql("INSERT INTO events (tenant_id, seq, customer_id, payload) VALUES ('acme', 1, 'c-1', $1::text::jsonb)", e.toJson().encode());
    sql("UPDATE tenant_sequences SET last_seq = 1 WHERE tenant_id = 'acme'");
    long deadline = System.currentTimeMillis() + 15_000;
    List<Row> attempts = List.of();
    while (attempts.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      attempts = sql("SELECT error, status_code, latency_ms FROM webhook_attempts WHERE endpoint_id = $1", endpoint.id());
    }
    assertThat(attempts).as("an attempt was recorded").isNotEmpty();
    assertThat(attempts.get(0).getString(0)).contains("private");
    assertThat(attempts.get(0).getInteger(1)).as("no answer: no request was made").isNull();
    assertThat(sql("SELECT state FROM webhook_deliveries WHERE endpoint_id = $1", endpoint.id()).get(0).getString(0))
        .as("retried: the name may point back").isEqualTo("pending");
  }
}
