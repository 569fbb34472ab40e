package io.kychub.admin;

import io.kychub.model.HubConfig;
import io.kychub.model.ListenerGuard;
import io.kychub.store.Database;
import io.kychub.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fresh database and a deployed {@link AdminApiVerticle} on a free port, per test class. */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdminServerTestBase {

  static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

  Vertx vertx;
  Pool pool;
  WebClient http;
  HubConfig config;

  /** The KYC_JWT_* settings of this test class; may start helper servers first. */
  abstract JsonObject jwtSettings(Vertx vertx) throws Exception;

  @BeforeAll
  void deploy(Vertx vertx) throws Exception {
    this.vertx = vertx;
    String url = TestDatabase.freshDatabaseUrl(getClass());
    await(Database.migrate(vertx, url));
    pool = Database.pool(vertx, url, 4);
    config = HubConfig.from(new JsonObject()
        .put("KYC_DB_URL", url)
        .put("KYC_ADMIN_HOST", "127.0.0.1")
        .put("KYC_ADMIN_PORT", 0)
        .put("KYC_MASTER_KEY", MASTER_KEY)
        .mergeIn(jwtSettings(vertx)));
    AdminApiVerticle verticle = new AdminApiVerticle(config, pool, new ListenerGuard("admin", config.limits()), null);
    await(vertx.deployVerticle(verticle));
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(verticle.actualPort()));
  }

  @AfterAll
  void close() throws Exception {
    http.close();
    await(pool.close());
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, String tokenOrNull, Object bodyOrNull) throws Exception {
    HttpRequest<Buffer> request = http.request(method, path);
    if (tokenOrNull != null) {
      request.bearerTokenAuthentication(tokenOrNull);
    }
    if (bodyOrNull == null) {
      return await(request.send());
    }
    Buffer body = bodyOrNull instanceof JsonObject json ? json.toBuffer() : Buffer.buffer(bodyOrNull.toString());
    return await(request.putHeader("content-type", "application/json").sendBuffer(body));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.await(20, TimeUnit.SECONDS);
  }
}
