package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.Hashing;
import io.kychub.model.HubConfig;
import io.kychub.model.ReusePolicy;
import io.kychub.model.Tenant;
import io.kychub.store.ApiKeyStore.ApiKeyRef;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApiKeyStoreTest extends DatabaseTestBase {

  private final CredentialTags tags = new CredentialTags(new HubConfig.MasterKeys("k1", Map.of("k1", SecretBoxTest.K1)));

  @BeforeAll
  void tenants() throws Exception {
    for (String id : List.of("acme", "beta", "off")) {
      await(new TenantStore(pool).create(new Tenant(id, id, true, ReusePolicy.DEFAULT, null)));
    }
  }

  private ApiKeyStore store() {
    return new ApiKeyStore(pool, tags);
  }

  @Test
  void createdKeyIsLiveForItsTenantAndCarriesTheHubsTag() throws Exception {
    ApiKeyStore store = store();
    ApiKeyStore.CreatedApiKey created = await(store.create("acme", "ci", "admin-1"));
    assertThat(created.id()).matches("ak_[A-Za-z0-9_-]{12}");
    assertThat(created.key()).matches("kyc_[A-Za-z0-9_-]{54}");
    assertThat(store.issuedHere(created.key())).isTrue();
    assertThat(await(store.find(Hashing.sha256(created.key())))).contains(new ApiKeyRef(created.id(), "acme"));
    assertThat(await(store.live())).containsEntry(Hashing.sha256Hex(created.key()), new ApiKeyRef(created.id(), "acme"));
    assertThat(await(store.liveOf("acme"))).containsKey(Hashing.sha256Hex(created.key()));
    assertThat(await(store.liveOf("beta"))).doesNotContainKey(Hashing.sha256Hex(created.key()));
  }

  @Test
  void onlyAHashOfTheKeyIsStored() throws Exception {
    ApiKeyStore.CreatedApiKey created = await(store().create("acme", null, "admin-1"));
    Row row = await(pool.preparedQuery("SELECT * FROM api_keys WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(created.id()))).iterator().next();
    for (int i = 0; i < row.size(); i++) {
      Object value = row.getValue(i);
      String text = value instanceof io.vertx.core.buffer.Buffer b
          ? new String(b.getBytes(), StandardCharsets.ISO_8859_1) : String.valueOf(value);
      assertThat(text).doesNotContain(created.key().substring(4));
    }
  }

  @Test
  void revokedKeyIsNotLive() throws Exception {
    ApiKeyStore store = store();
    ApiKeyStore.CreatedApiKey created = await(store.create("acme", null, "admin-1"));
    assertThat(await(store.revoke("acme", created.id()))).isTrue();
    assertThat(await(store.find(Hashing.sha256(created.key())))).isEmpty();
    assertThat(await(store.live())).doesNotContainKey(Hashing.sha256Hex(created.key()));
  }

  @Test
  void anotherTenantCannotRevokeAKey() throws Exception {
    ApiKeyStore store = store();
    ApiKeyStore.CreatedApiKey created = await(store.create("acme", null, "admin-1"));
    assertThat(await(store.revoke("beta", created.id()))).isFalse();
    assertThat(await(store.find(Hashing.sha256(created.key())))).isPresent();
  }

  @Test
  void keyOfADisabledTenantIsNotLive() throws Exception {
    ApiKeyStore store = store();
    ApiKeyStore.CreatedApiKey created = await(store.create("off", null, "admin-1"));
    await(new TenantStore(pool).disable("off"));
    assertThat(await(store.find(Hashing.sha256(created.key())))).isEmpty();
    assertThat(await(store.liveOf("off"))).isEmpty();
  }

  @Test
  void aGuessedKeyHasNoTag() {
    ApiKeyStore store = store();
    assertThat(store.issuedHere("kyc_not-a-real-key")).isFalse();
    assertThat(store.issuedHere("kyc_" + "A".repeat(54))).isFalse();
    assertThat(store.issuedHere(null)).isFalse();
    String other = new CredentialTags(new HubConfig.MasterKeys("k2", Map.of("k2", SecretBoxTest.K2))).issue("kyc_");
    assertThat(store.issuedHere(other)).as("a key tagged under another master key").isFalse();
  }
}
