package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.ReusePolicy;
import io.kychub.model.Tenant;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApiKeyStoreTest extends DatabaseTestBase {

  @BeforeAll
  void tenants() throws Exception {
    for (String id : List.of("acme", "beta", "off")) {
      await(new TenantStore(pool).create(new Tenant(id, id, true, ReusePolicy.DEFAULT, null)));
    }
  }

  @Test
  void createdKeyResolvesToItsTenant() throws Exception {
    ApiKeyStore store = new ApiKeyStore(pool);
    ApiKeyStore.CreatedApiKey created = await(store.create("acme", "ci", "admin-1"));
    assertThat(created.id()).matches("ak_[A-Za-z0-9_-]{12}");
    assertThat(created.key()).matches("kyc_[A-Za-z0-9_-]{43}");
    assertThat(await(store.tenantOf(created.key()))).contains("acme");
  }

  @Test
  void onlyAHashOfTheKeyIsStored() throws Exception {
    ApiKeyStore.CreatedApiKey created = await(new ApiKeyStore(pool).create("acme", null, "admin-1"));
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
  void revokedKeyIsRejected() throws Exception {
    ApiKeyStore store = new ApiKeyStore(pool);
    ApiKeyStore.CreatedApiKey created = await(store.create("acme", null, "admin-1"));
    assertThat(await(store.revoke("acme", created.id()))).isTrue();
    assertThat(await(store.tenantOf(created.key()))).isEmpty();
  }

  @Test
  void anotherTenantCannotRevokeAKey() throws Exception {
    ApiKeyStore store = new ApiKeyStore(pool);
    ApiKeyStore.CreatedApiKey created = await(store.create("acme", null, "admin-1"));
    assertThat(await(store.revoke("beta", created.id()))).isFalse();
    assertThat(await(store.tenantOf(created.key()))).contains("acme");
  }

  @Test
  void keyOfADisabledTenantIsRejected() throws Exception {
    ApiKeyStore store = new ApiKeyStore(pool);
    ApiKeyStore.CreatedApiKey created = await(store.create("off", null, "admin-1"));
    await(new TenantStore(pool).disable("off"));
    assertThat(await(store.tenantOf(created.key()))).isEmpty();
  }

  @Test
  void unknownOrMalformedKeysAreRejected() throws Exception {
    ApiKeyStore store = new ApiKeyStore(pool);
    assertThat(await(store.tenantOf("kyc_not-a-real-key"))).isEmpty();
    assertThat(await(store.tenantOf("Bearer something"))).isEmpty();
    assertThat(await(store.tenantOf(null))).isEmpty();
  }
}
