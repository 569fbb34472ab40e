package io.kychub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.HubConfig;
import io.kychub.model.ProviderApiSettings;
import io.kychub.model.ProviderCredential;
import io.kychub.model.ReusePolicy;
import io.kychub.model.SecretValue;
import io.kychub.model.Tenant;
import io.kychub.model.WebhookAuthConfig;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CredentialStoreTest extends DatabaseTestBase {

  static final String HMAC_SECRET = "ripio-hmac-secret-0123456789";
  static final String API_KEY = "ripio-api-key-abcdefghijkl";

  final SecretBox k1 = new SecretBox(new HubConfig.MasterKeys("k1", Map.of("k1", SecretBoxTest.K1)));

  @BeforeAll
  void tenants() throws Exception {
    for (String id : List.of("acme", "beta", "gamma")) {
      await(new TenantStore(pool).create(new Tenant(id, id, true, ReusePolicy.DEFAULT, null)));
    }
  }

  static ProviderCredential credential(String tenant, String provider, String secret) {
    WebhookAuthConfig auth = new WebhookAuthConfig("hmac",
        List.of(new SecretValue(secret, null), new SecretValue("old-secret-value-xyz", Instant.parse("2030-01-01T00:00:00Z"))),
        null, "X-Wh-Signature-256", "sha256", "hex", "sha256=", List.of("10.0.0.0/8"), null);
    return new ProviderCredential(tenant, provider, true, auth,
        new ProviderApiSettings("https://api.example.test", API_KEY, null, null, null, null), null);
  }

  @Test
  void storedCredentialReadsBackWithEverySecret() throws Exception {
    CredentialStore store = new CredentialStore(pool, k1);
    ProviderCredential put = await(store.put(credential("acme", "ripio", HMAC_SECRET)));
    assertThat(put.updatedAt()).isNotNull();
    ProviderCredential found = await(store.find("acme", "ripio")).orElseThrow();
    assertThat(found.toSecretJson()).isEqualTo(credential("acme", "ripio", HMAC_SECRET).toSecretJson());
    assertThat(found.updatedAt()).isEqualTo(put.updatedAt());
    assertThat(await(store.find("acme", "sovera"))).isEmpty();
  }

  @Test
  void secretsAreNotReadableInTheSealedColumn() throws Exception {
    await(new CredentialStore(pool, k1).put(credential("beta", "ripio", HMAC_SECRET)));
    Row row = await(pool.preparedQuery("SELECT key_id, sealed FROM provider_credentials"
        + " WHERE tenant_id = $1 AND provider = $2").execute(Tuple.of("beta", "ripio"))).iterator().next();
    String raw = new String(row.getBuffer("sealed").getBytes(), StandardCharsets.ISO_8859_1);
    assertThat(row.getString("key_id")).isEqualTo("k1");
    assertThat(raw).doesNotContain(HMAC_SECRET).doesNotContain(API_KEY).doesNotContain("webhookAuth");
  }

  @Test
  void credentialSealedBeforeAMasterKeyRotationStillReads() throws Exception {
    await(new CredentialStore(pool, k1).put(credential("gamma", "ripio", HMAC_SECRET)));
    SecretBox rotated = new SecretBox(new HubConfig.MasterKeys("k2", Map.of("k2", SecretBoxTest.K2, "k1", SecretBoxTest.K1)));
    CredentialStore store = new CredentialStore(pool, rotated);
    assertThat(await(store.find("gamma", "ripio")).orElseThrow().webhookAuth().secrets().get(0).value())
        .isEqualTo(HMAC_SECRET);
    await(store.put(credential("gamma", "ripio", "rotated-secret-value-1")));
    String keyId = await(pool.preparedQuery("SELECT key_id FROM provider_credentials WHERE tenant_id = 'gamma'")
        .execute()).iterator().next().getString(0);
    assertThat(keyId).isEqualTo("k2");
  }

  @Test
  void putReplacesAndDeleteRemoves() throws Exception {
    CredentialStore store = new CredentialStore(pool, k1);
    await(store.put(credential("acme", "p100", "first-token-value-1")));
    await(store.put(credential("acme", "p100", "second-token-value-2")));
    assertThat(await(store.find("acme", "p100")).orElseThrow().webhookAuth().secrets().get(0).value())
        .isEqualTo("second-token-value-2");
    assertThat(await(store.list("acme"))).extracting(ProviderCredential::provider).contains("p100");
    assertThat(await(store.delete("acme", "p100"))).isTrue();
    assertThat(await(store.delete("acme", "p100"))).isFalse();
    assertThat(await(store.find("acme", "p100"))).isEmpty();
  }
}
