package io.kychub.admin;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.Addresses;
import io.kychub.model.CacheInvalidation;
import io.kychub.model.Hashing;
import io.kychub.store.ApiKeyStore;
import io.kychub.store.CredentialTags;
import io.kychub.store.InboxStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The admin routes with a valid admin token (HS256). */
class AdminApiTest extends AdminServerTestBase {

  static final String NEW_SECRET = "new-ripio-hmac-secret-XYZ-0001";
  static final String OLD_SECRET = "old-ripio-hmac-secret-XYZ-0002";
  static final String API_SECRET = "ripio-client-secret-XYZ-0003";

  final String token = Jwts.hs256(Jwts.admin());
  final List<String> bodies = new ArrayList<>();

  @Override
  JsonObject jwtSettings(Vertx vertx) {
    return new JsonObject().put("KYC_JWT_HS256_SECRET", Jwts.HS256_SECRET);
  }

  HttpResponse<Buffer> admin(io.vertx.core.http.HttpMethod method, String path, Object body) throws Exception {
    HttpResponse<Buffer> response = call(method, path, token, body);
    bodies.add(response.bodyAsString());
    return response;
  }

  void createTenant(String id) throws Exception {
    assertThat(admin(POST, "/admin/tenants", new JsonObject().put("id", id).put("name", "Tenant " + id)).statusCode())
        .isEqualTo(201);
  }

  static JsonObject ripioCredential() {
    return new JsonObject()
        .put("enabled", true)
        .put("webhookAuth", new JsonObject()
            .put("secrets", new JsonArray()
                .add(NEW_SECRET)
                .add(new JsonObject().put("value", OLD_SECRET).put("notAfter", "2099-01-01T00:00:00Z")))
            .put("allowCidrs", new JsonArray().add("10.0.0.0/8").add("2001:db8::/32")))
        .put("api", new JsonObject().put("baseUrl", "https://ripio.example.test").put("clientId", "client-1")
            .put("clientSecret", API_SECRET));
  }

  static void assertBadRequestNaming(HttpResponse<Buffer> response, String field) {
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(response.bodyAsJsonObject().getString("message")).contains(field);
  }

  @Test
  void createdTenantIsAnswered201AndReadable() throws Exception {
    HttpResponse<Buffer> created = admin(POST, "/admin/tenants",
        new JsonObject().put("id", "acme").put("name", "Acme").put("reuse", new JsonObject().put("share", true).put("maxAgeDays", 90)));
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject tenant = admin(GET, "/admin/tenants/acme", null).bodyAsJsonObject();
    assertThat(tenant.getString("name")).isEqualTo("Acme");
    assertThat(tenant.getBoolean("enabled")).isTrue();
    assertThat(tenant.getJsonObject("reuse")).isEqualTo(new JsonObject().put("share", true).put("accept", false).put("maxAgeDays", 90));
  }

  @Test
  void existingTenantIdIsAConflict() throws Exception {
    createTenant("twice");
    HttpResponse<Buffer> again = admin(POST, "/admin/tenants", new JsonObject().put("id", "twice").put("name", "Again"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("error")).isEqualTo("conflict");
  }

  @Test
  void badTenantFieldsAreAnswered400NamingTheField() throws Exception {
    assertBadRequestNaming(admin(POST, "/admin/tenants", new JsonObject().put("id", "Bad_Slug").put("name", "x")), "id");
    assertBadRequestNaming(admin(POST, "/admin/tenants", new JsonObject().put("id", "okay").put("name", " ")), "name");
    assertBadRequestNaming(admin(POST, "/admin/tenants", new JsonObject().put("id", "okay").put("name", "x")
        .put("reuse", new JsonObject().put("maxAgeDays", 0))), "reuse.maxAgeDays");
    assertBadRequestNaming(admin(POST, "/admin/tenants", new JsonObject().put("id", "okay").put("name", "x")
        .put("reuse", new JsonObject().put("share", "yes"))), "reuse.share");
  }

  @Test
  void malformedJsonIsAnswered400() throws Exception {
    HttpResponse<Buffer> response = admin(POST, "/admin/tenants", "{\"id\": ");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(admin(POST, "/admin/tenants", "[1, 2]").statusCode()).isEqualTo(400);
  }

  @Test
  void bodyOverTheLimitIsAnswered413() throws Exception {
    String big = new JsonObject().put("id", "big").put("name", "x".repeat(70 * 1024)).encode();
    HttpResponse<Buffer> response = admin(POST, "/admin/tenants", big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("payload_too_large");
  }

  @Test
  void unknownTenantIsAnswered404() throws Exception {
    HttpResponse<Buffer> response = admin(GET, "/admin/tenants/nobody", null);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    assertThat(admin(PATCH, "/admin/tenants/nobody", new JsonObject().put("name", "x")).statusCode()).isEqualTo(404);
    assertThat(admin(DELETE, "/admin/tenants/nobody", null).statusCode()).isEqualTo(404);
    assertThat(admin(PUT, "/admin/tenants/nobody/providers/ripio", ripioCredential()).statusCode()).isEqualTo(404);
    assertThat(admin(POST, "/admin/tenants/nobody/api-keys", null).statusCode()).isEqualTo(404);
  }

  @Test
  void patchChangesOnlyTheGivenFieldsAndMergesReuse() throws Exception {
    assertThat(admin(POST, "/admin/tenants", new JsonObject().put("id", "patchy").put("name", "Patchy")
        .put("reuse", new JsonObject().put("share", true).put("accept", true).put("maxAgeDays", 30))).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> patched = admin(PATCH, "/admin/tenants/patchy",
        new JsonObject().put("name", "Renamed").put("reuse", new JsonObject().put("accept", false)));
    assertThat(patched.statusCode()).isEqualTo(200);
    JsonObject tenant = patched.bodyAsJsonObject();
    assertThat(tenant.getString("name")).isEqualTo("Renamed");
    assertThat(tenant.getBoolean("enabled")).isTrue();
    assertThat(tenant.getJsonObject("reuse")).isEqualTo(new JsonObject().put("share", true).put("accept", false).put("maxAgeDays", 30));
  }

  @Test
  void deletedTenantIsDisabledButStillListed() throws Exception {
    createTenant("leaving");
    assertThat(admin(DELETE, "/admin/tenants/leaving", null).statusCode()).isEqualTo(204);
    JsonArray tenants = admin(GET, "/admin/tenants", null).bodyAsJsonObject().getJsonArray("tenants");
    JsonObject leaving = tenants.stream().map(JsonObject.class::cast).filter(t -> t.getString("id").equals("leaving"))
        .findFirst().orElseThrow();
    assertThat(leaving.getBoolean("enabled")).isFalse();
  }

  @Test
  void credentialSecretsAreOnlyEverShownMasked() throws Exception {
    createTenant("masked");
    HttpResponse<Buffer> put = admin(PUT, "/admin/tenants/masked/providers/ripio", ripioCredential());
    assertThat(put.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> get = admin(GET, "/admin/tenants/masked/providers/ripio", null);
    assertThat(get.statusCode()).isEqualTo(200);
    JsonObject credential = get.bodyAsJsonObject();
    JsonArray secrets = credential.getJsonObject("webhookAuth").getJsonArray("secrets");
    assertThat(secrets).hasSize(2);
    assertThat(secrets.getJsonObject(0).getString("value")).isEqualTo("****0001");
    assertThat(secrets.getJsonObject(1).getString("value")).isEqualTo("****0002");
    assertThat(secrets.getJsonObject(1).getString("notAfter")).isEqualTo("2099-01-01T00:00:00Z");
    assertThat(credential.getJsonObject("api").getString("clientSecret")).isEqualTo("****0003");
    assertThat(credential.getJsonObject("api").getString("baseUrl")).isEqualTo("https://ripio.example.test");
    assertThat(put.bodyAsJsonObject()).isEqualTo(credential);

    admin(GET, "/admin/audit", null);
    admin(GET, "/admin/tenants/masked", null);
    assertThat(bodies).noneSatisfy(body -> assertThat(body).containsAnyOf(NEW_SECRET, OLD_SECRET, API_SECRET));
    String audit = await(pool.query("SELECT string_agg(details::text || actor || target, ' ') FROM audit_log").execute())
        .iterator().next().getString(0);
    assertThat(audit).doesNotContain(NEW_SECRET).doesNotContain(OLD_SECRET).doesNotContain(API_SECRET);
  }

  @Test
  void credentialSecretsAreNotStoredAsPlaintext() throws Exception {
    createTenant("sealed");
    assertThat(admin(PUT, "/admin/tenants/sealed/providers/ripio", ripioCredential()).statusCode()).isEqualTo(200);
    Row row = await(pool.query("SELECT * FROM provider_credentials WHERE tenant_id = 'sealed'").execute()).iterator().next();
    for (int i = 0; i < row.size(); i++) {
      Object value = row.getValue(i);
      String text = value instanceof Buffer b ? new String(b.getBytes(), StandardCharsets.ISO_8859_1) : String.valueOf(value);
      assertThat(text).doesNotContain(NEW_SECRET).doesNotContain(OLD_SECRET).doesNotContain(API_SECRET);
    }
  }

  @Test
  void credentialChangesAreAuditedWithFieldNamesOnly() throws Exception {
    createTenant("audited");
    admin(PUT, "/admin/tenants/audited/providers/ripio", ripioCredential());
    JsonObject changed = ripioCredential();
    changed.getJsonObject("api").put("clientSecret", "a-brand-new-client-secret-0004");
    admin(PUT, "/admin/tenants/audited/providers/ripio", changed);
    JsonObject entry = admin(GET, "/admin/audit?limit=1", null).bodyAsJsonObject().getJsonArray("entries").getJsonObject(0);
    assertThat(entry.getString("actor")).isEqualTo("alice");
    assertThat(entry.getString("action")).isEqualTo("credential.put");
    assertThat(entry.getString("target")).isEqualTo("credential:audited/ripio");
    assertThat(entry.getJsonObject("details").getJsonArray("changed")).containsExactly("api.clientSecret");
    assertThat(entry.encode()).doesNotContain("a-brand-new-client-secret-0004");
  }

  @Test
  void credentialForAnUnknownProviderIsAnswered404() throws Exception {
    createTenant("provless");
    assertThat(admin(PUT, "/admin/tenants/provless/providers/acmepay", ripioCredential()).statusCode()).isEqualTo(404);
    assertThat(admin(GET, "/admin/tenants/provless/providers/acmepay", null).statusCode()).isEqualTo(404);
    assertThat(admin(GET, "/admin/tenants/provless/providers/ripio", null).statusCode()).isEqualTo(404);
  }

  @Test
  void invalidCredentialFieldsAreAnswered400NamingTheField() throws Exception {
    createTenant("invalid");
    String path = "/admin/tenants/invalid/providers/ripio";
    JsonObject noSecrets = ripioCredential();
    noSecrets.getJsonObject("webhookAuth").put("secrets", new JsonArray());
    assertBadRequestNaming(admin(PUT, path, noSecrets), "webhookAuth.secrets");
    JsonObject badNotAfter = ripioCredential();
    badNotAfter.getJsonObject("webhookAuth").getJsonArray("secrets").getJsonObject(1).put("notAfter", "next tuesday");
    assertBadRequestNaming(admin(PUT, path, badNotAfter), "webhookAuth.secrets[1]");
    JsonObject lapsed = ripioCredential();
    lapsed.getJsonObject("webhookAuth").put("secrets", new JsonArray()
        .add(new JsonObject().put("value", "x-secret-value-lapsed").put("notAfter", "2001-01-01T00:00:00Z")));
    assertBadRequestNaming(admin(PUT, path, lapsed), "notAfter");
    for (String weak : new String[] {" ", "Bearer ", "short-secret", " padded-secret-value-0001", "padded-secret-value-0001\t"}) {
      JsonObject weakSecret = ripioCredential();
      weakSecret.getJsonObject("webhookAuth").put("secrets", new JsonArray().add("a-good-secret-value-0001").add(weak));
      assertBadRequestNaming(admin(PUT, path, weakSecret), "webhookAuth.secrets[1]");
    }
    JsonObject badScheme = ripioCredential();
    badScheme.getJsonObject("webhookAuth").put("scheme", "rot13");
    assertBadRequestNaming(admin(PUT, path, badScheme), "webhookAuth.scheme");
    JsonObject badCidr = ripioCredential();
    badCidr.getJsonObject("webhookAuth").put("allowCidrs", new JsonArray().add("10.0.0.0/8").add("example.com/8"));
    assertBadRequestNaming(admin(PUT, path, badCidr), "webhookAuth.allowCidrs[1]");
    JsonObject badUrl = ripioCredential();
    badUrl.getJsonObject("api").put("baseUrl", "ftp://ripio.example.test");
    assertBadRequestNaming(admin(PUT, path, badUrl), "api.baseUrl");
    JsonObject badTokenUrl = ripioCredential();
    badTokenUrl.getJsonObject("api").put("tokenUrl", "javascript:alert(1)");
    assertBadRequestNaming(admin(PUT, path, badTokenUrl), "api.tokenUrl");
    JsonObject basicWithoutUser = ripioCredential();
    basicWithoutUser.getJsonObject("webhookAuth").put("scheme", "basic");
    assertBadRequestNaming(admin(PUT, path, basicWithoutUser), "webhookAuth.username");
    assertThat(admin(GET, path, null).statusCode()).isEqualTo(404);
    assertThat(bodies).noneSatisfy(body -> assertThat(body).contains(NEW_SECRET));
  }

  @Test
  void deletedCredentialIsGone() throws Exception {
    createTenant("dropcred");
    admin(PUT, "/admin/tenants/dropcred/providers/p100", ripioCredential());
    assertThat(admin(DELETE, "/admin/tenants/dropcred/providers/p100", null).statusCode()).isEqualTo(204);
    assertThat(admin(GET, "/admin/tenants/dropcred/providers/p100", null).statusCode()).isEqualTo(404);
    assertThat(admin(DELETE, "/admin/tenants/dropcred/providers/p100", null).statusCode()).isEqualTo(404);
  }

  @Test
  void credentialChangePublishesACacheInvalidation(VertxTestContext test) throws Exception {
    createTenant("cached");
    MessageConsumer<CacheInvalidation> consumer = vertx.eventBus().consumer(Addresses.CACHE_INVALIDATE, message -> {
      if ("cached".equals(message.body().tenantId())) {
        test.verify(() -> assertThat(message.body()).isEqualTo(new CacheInvalidation("cached", "ripio")));
        test.completeNow();
      }
    });
    await(consumer.completion());
    assertThat(admin(PUT, "/admin/tenants/cached/providers/ripio", ripioCredential()).statusCode()).isEqualTo(200);
    assertThat(test.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
    await(consumer.unregister());
  }

  @Test
  void apiKeyWorksUntilRevoked() throws Exception {
    createTenant("keyed");
    HttpResponse<Buffer> created = admin(POST, "/admin/tenants/keyed/api-keys", new JsonObject().put("label", "ci"));
    assertThat(created.statusCode()).isEqualTo(201);
    String keyId = created.bodyAsJsonObject().getString("id");
    String key = created.bodyAsJsonObject().getString("key");
    ApiKeyStore keys = new ApiKeyStore(pool, new CredentialTags(config.keys().masterKeys()));
    assertThat(keys.issuedHere(key)).isTrue();
    assertThat(await(keys.find(Hashing.sha256(key)))).map(ApiKeyStore.ApiKeyRef::tenantId).contains("keyed");

    assertThat(admin(DELETE, "/admin/tenants/keyed/api-keys/" + keyId, null).statusCode()).isEqualTo(204);
    assertThat(await(keys.find(Hashing.sha256(key)))).isEmpty();
    assertThat(admin(DELETE, "/admin/tenants/keyed/api-keys/ak_AAAAAAAAAAAA", null).statusCode()).isEqualTo(404);
    assertThat(admin(DELETE, "/admin/tenants/keyed/api-keys/ak_unknown", null).statusCode()).as("malformed key id").isEqualTo(400);
    String audit = admin(GET, "/admin/audit", null).bodyAsString();
    assertThat(audit).contains("apikey.create", "apikey.revoke").doesNotContain(key);
  }

  @Test
  void auditListsNewestFirstAndPagesBack() throws Exception {
    createTenant("audit-a");
    createTenant("audit-b");
    JsonArray newest = admin(GET, "/admin/audit?limit=2", null).bodyAsJsonObject().getJsonArray("entries");
    assertThat(newest).hasSize(2);
    assertThat(newest.getJsonObject(0).getString("target")).isEqualTo("tenant:audit-b");
    assertThat(newest.getJsonObject(1).getString("target")).isEqualTo("tenant:audit-a");
    long beforeId = newest.getJsonObject(1).getLong("id");
    JsonArray older = admin(GET, "/admin/audit?limit=500&before=" + beforeId, null).bodyAsJsonObject().getJsonArray("entries");
    assertThat(older).allSatisfy(e -> assertThat(((JsonObject) e).getLong("id")).isLessThan(beforeId));
    assertThat(admin(GET, "/admin/audit?limit=abc", null).statusCode()).isEqualTo(400);
    assertThat(admin(GET, "/admin/audit?limit=0", null).statusCode()).isEqualTo(400);
  }

  @Test
  void parkedDeliveriesAreListedWithoutBodiesAndCanBeRetried() throws Exception {
    createTenant("parked");
    String insert = "INSERT INTO inbox (tenant_id, provider, idempotency_key, received_at, body, attempts, last_error, key_digest) "
        + "VALUES ('parked', 'ripio', $1, now(), '\\x7b7d'::bytea, $2, $3, $4) RETURNING id";
    long parked = await(pool.preparedQuery(insert).execute(io.vertx.sqlclient.Tuple.of("k-parked", 20, "redrive failed: boom",
            Buffer.buffer(InboxStore.keyDigest("parked", "ripio", "k-parked")))))
        .iterator().next().getLong(0);
    await(pool.preparedQuery(insert).execute(io.vertx.sqlclient.Tuple.of("k-trying", 3, "redrive failed: once",
        Buffer.buffer(InboxStore.keyDigest("parked", "ripio", "k-trying")))));

    JsonArray listed = admin(GET, "/admin/inbox/parked?tenant=parked", null).bodyAsJsonObject().getJsonArray("deliveries");
    assertThat(listed).hasSize(1);
    JsonObject entry = listed.getJsonObject(0);
    assertThat(entry.getLong("id")).isEqualTo(parked);
    assertThat(entry.getInteger("attempts")).isEqualTo(20);
    assertThat(entry.getString("lastError")).isEqualTo("redrive failed: boom");
    assertThat(entry.containsKey("body")).isFalse();
    assertThat(admin(GET, "/admin/inbox/parked?tenant=nobody", null).bodyAsJsonObject().getJsonArray("deliveries")).isEmpty();

    HttpResponse<Buffer> retried = admin(POST, "/admin/inbox/" + parked + "/retry", null);
    assertThat(retried.statusCode()).isEqualTo(202);
    assertThat(await(pool.preparedQuery("SELECT attempts FROM inbox WHERE id = $1").execute(io.vertx.sqlclient.Tuple.of(parked)))
        .iterator().next().getInteger(0)).isZero();
    assertThat(admin(GET, "/admin/inbox/parked?tenant=parked", null).bodyAsJsonObject().getJsonArray("deliveries")).isEmpty();
    assertThat(admin(GET, "/admin/audit?limit=1", null).bodyAsJsonObject().getJsonArray("entries").getJsonObject(0)
        .getString("action")).isEqualTo("inbox.retry");

    assertThat(admin(POST, "/admin/inbox/999999999/retry", null).statusCode()).isEqualTo(404);
    assertBadRequestNaming(admin(POST, "/admin/inbox/abc/retry", null), "deliveryId");
    assertBadRequestNaming(admin(GET, "/admin/inbox/parked?limit=0", null), "limit");
  }
}
