package io.kychub.admin;

import io.kychub.model.HubConfig;
import io.kychub.model.ListenerGuard;
import io.kychub.model.RecordCodec;
import io.kychub.store.AccessIndex;
import io.kychub.store.ApiKeyStore;
import io.kychub.store.AuditStore;
import io.kychub.store.CredentialStore;
import io.kychub.store.CredentialTags;
import io.kychub.store.FollowUps;
import io.kychub.store.InboxStore;
import io.kychub.store.SecretBox;
import io.kychub.store.TenantStore;
import io.kychub.store.WebhookStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin listener: JWT-secured management of tenants, provider credentials and API keys. */
public final class AdminApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AdminApiVerticle.class);

  private final HubConfig config;
  private final Pool pool;
  private final ListenerGuard guard;
  private final AccessIndex indexOrNull;
  private AdminAuth auth;
  private HttpServer server;

  /**
   * @param guard the admin listener's connection cap, idle timeout and body timeout
   * @param indexOrNull the node's index of tenants and keys, brought up to date before a change is answered
   */
  public AdminApiVerticle(HubConfig config, Pool pool, ListenerGuard guard, AccessIndex indexOrNull) {
    this.config = config;
    this.pool = pool;
    this.guard = guard;
    this.indexOrNull = indexOrNull;
  }

  @Override
  public Future<?> start() {
    RecordCodec.registerAll(vertx.eventBus());
    auth = new AdminAuth(vertx, config.jwt());
    SecretBox box = new SecretBox(config.keys().masterKeys());
    AdminRoutes routes = new AdminRoutes(vertx, new TenantStore(pool),
        new CredentialStore(pool, box), new ApiKeyStore(pool, new CredentialTags(config.keys().masterKeys())), new AuditStore(pool),
        new InboxStore(pool, 1, 1), new FollowUps(pool), new WebhookStore(pool, box), guard, indexOrNull);
    return auth.start()
        .compose(v -> guard.watch(vertx.createHttpServer(guard.apply(new HttpServerOptions()
                .setHost(config.http().adminHost()).setPort(config.http().adminPort()))))
            .requestHandler(routes.router(auth))
            .listen())
        .onSuccess(s -> {
          server = s;
          LOG.info("admin API listening on {}:{}", config.http().adminHost(), s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    auth.stop();
    return server == null ? Future.succeededFuture() : server.shutdown(5, TimeUnit.SECONDS);
  }

  /** The bound port (useful with port 0), or -1 before the server listens. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
