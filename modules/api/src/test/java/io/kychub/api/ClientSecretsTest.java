package io.kychub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kychub.model.Hashing;
import io.kychub.model.HubConfig.MasterKeys;
import io.kychub.model.ReusePolicy;
import io.kychub.model.Tenant;
import io.kychub.store.AccessIndex;
import io.kychub.store.ApiKeyStore;
import io.kychub.store.CredentialTags;
import io.kychub.store.CustomerStore;
import io.kychub.store.CustomerStore.SecretGrant;
import io.kychub.store.Database;
import io.kychub.store.TenantStore;
import io.kychub.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A customer's browser credential: what an issued, a guessed and an expired secret grant, on a real database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientSecretsTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private String url;
  private Vertx vertx;
  private Pool pool;
  private TenantStore tenants;
  private CustomerStore customers;
  private CredentialTags tags;
  private AccessIndex index;
  private ClientSecrets secrets;

  @BeforeAll
  void openDatabase() throws Exception {
    url = TestDatabase.freshDatabaseUrl(getClass());
    vertx = Vertx.vertx();
    Database.migrate(vertx, url).await(60, TimeUnit.SECONDS);
    pool = Database.pool(vertx, url, 4);
    tenants = new TenantStore(pool);
    await(tenants.create(new Tenant("acme", "Acme", true, ReusePolicy.DEFAULT, null)));
    await(tenants.create(new Tenant("leaving", "Leaving", true, ReusePolicy.DEFAULT, null)));
    byte[] master = new byte[32];
    RANDOM.nextBytes(master);
    tags = new CredentialTags(new MasterKeys("k1", Map.of("k1", master)));
    index = new AccessIndex(tenants, new ApiKeyStore(pool, tags), 600_000);
    await(vertx.deployVerticle(index));
    customers = new CustomerStore(pool);
    secrets = new ClientSecrets(customers, tags, index, 600_000);
  }

  @AfterAll
  void closeDatabase() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  /** A secret of the right shape that this hub did not make: {@code cs_} and 40 random bytes. */
  private static String guessed() {
    byte[] raw = new byte[40];
    RANDOM.nextBytes(raw);
    return ClientSecrets.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  @Test
  void anIssuedSecretGrantsItsCustomerFor24Hours() throws Exception {
    Instant before = Instant.now();
    ClientSecrets.Issued issued = await(secrets.issue("acme", "cust-1"));

    Optional<SecretGrant> grant = await(secrets.grant(issued.secret()));

    assertThat(issued.secret()).startsWith("cs_");
    assertThat(issued.expiresAt()).isBetween(before.plus(Duration.ofHours(24)), Instant.now().plus(Duration.ofHours(24)));
    assertThat(grant).isPresent();
    assertThat(grant.get().tenantId()).isEqualTo("acme");
    assertThat(grant.get().customerId()).isEqualTo("cust-1");
    assertThat(grant.get().expiresAt()).isCloseTo(issued.expiresAt(), within(1, ChronoUnit.MILLIS));
  }

  @Test
  void aGuessedSecretGrantsNothingWithoutAQuery() throws Exception {
    // A pool that is closed: any query the secrets made would fail.
    Pool closed = Database.pool(vertx, url, 1);
    await(closed.close());
    ClientSecrets offline = new ClientSecrets(new CustomerStore(closed), tags, index, 600_000);

    assertThat(await(offline.grant(guessed()))).isEmpty();
    assertThat(await(offline.grant("not-even-the-prefix"))).isEmpty();
    assertThat(await(offline.grant(null))).isEmpty();
    assertThatThrownBy(() -> await(offline.grant(tags.issue(ClientSecrets.PREFIX))))
        .as("a secret the hub made is looked up, and fails on the closed pool").isNotNull();
  }

  @Test
  void anExpiredSecretGrantsNothing() throws Exception {
    String secret = tags.issue(ClientSecrets.PREFIX);
    await(customers.putClientSecret(Hashing.sha256(secret), "acme", "cust-2", Instant.now().minusSeconds(60)));

    assertThat(await(secrets.grant(secret))).isEmpty();
  }

  @Test
  void aSecretLookedUpBeforeItExpiredGrantsNothingOnceItHas() throws Exception {
    String secret = tags.issue(ClientSecrets.PREFIX);
    Instant expiresAt = Instant.now().plusMillis(1_000);
    await(customers.putClientSecret(Hashing.sha256(secret), "acme", "cust-3", expiresAt));
    assertThat(await(secrets.grant(secret))).isPresent();

    Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()) + 100);

    assertThat(await(secrets.grant(secret))).as("the looked-up answer is kept, its expiry still holds").isEmpty();
  }

  @Test
  void aSecretOfADisabledTenantGrantsNothing() throws Exception {
    ClientSecrets.Issued issued = await(secrets.issue("leaving", "cust-4"));
    assertThat(await(secrets.grant(issued.secret()))).isPresent();

    await(tenants.disable("leaving"));
    await(index.reload("leaving"));

    assertThat(await(secrets.grant(issued.secret()))).isEmpty();
  }
}
