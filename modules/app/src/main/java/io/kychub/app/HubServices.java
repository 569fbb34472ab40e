package io.kychub.app;

import io.kychub.ingress.PreAuthBudget;
import io.kychub.model.HubConfig;
import io.kychub.model.ListenerGuard;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.api.ProviderClient;
import io.kychub.reconcile.DecisionForwarder;
import io.kychub.reconcile.DecisionPath;
import io.kychub.reconcile.ReuseCoordinator;
import io.kychub.store.AccessIndex;
import io.kychub.store.ApiKeyStore;
import io.kychub.store.AuditStore;
import io.kychub.store.WebhookStore;
import io.kychub.webhooks.Resolver;
import io.kychub.webhooks.TargetPolicy;
import io.kychub.store.CredentialStore;
import io.kychub.store.CredentialTags;
import io.kychub.store.CustomerStore;
import io.kychub.store.EventLog;
import io.kychub.store.FollowUps;
import io.kychub.store.KycStore;
import io.kychub.store.StartRequestStore;
import io.kychub.store.TenantStore;
import io.kychub.stream.StreamMetrics;
import io.kychub.stream.StreamQuota;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What one node's verticles share: configuration, the pool, the stores, metrics, the cluster. */
record HubServices(
    HubConfig config,
    Pool pool,
    PrometheusMeterRegistry registry,
    ProviderRegistry providers,
    TenantStore tenants,
    CredentialStore credentials,
    KycStore kyc,
    EventLog events,
    CustomerStore customers,
    Map<String, ProviderClient> clients,
    DecisionPath door,
    ReuseCoordinator reuse,
    DecisionForwarder forwarder,
    FollowUps followUps,
    StartRequestStore startRequests,
    StreamMetrics sseMetrics,
    AtomicLong dispatchBacklog,
    Access access,
    Guards guards,
    Webhooks webhooks,
    HazelcastClusterManager clusterManagerOrNull) {

  /** Operator webhooks: the endpoints and deliveries, the audit log, and where targets may point. */
  record Webhooks(WebhookStore store, AuditStore audit, TargetPolicy targets, Resolver resolver) {}

  /**
   * Credential lookups of unauthenticated requests, all on the small pool of their own so they
   * can never take the reconciler's connections: the node's index of tenants and API keys, the
   * tags that make guessed credentials fail in memory, and the stores behind them.
   */
  record Access(AccessIndex index, CredentialTags tags, ApiKeyStore apiKeys, CustomerStore clientSecrets,
      TenantStore tenants, CredentialStore credentials, ReadinessProbe readiness) {}

  /** Node-wide bounds of the public listener, shared by its instances. */
  record Guards(ListenerGuard listener, PreAuthBudget preAuthBudget, StreamQuota streamQuota) {}
}
