package io.kychub.app;

import io.kychub.model.HubConfig;
import io.kychub.providers.ProviderRegistry;
import io.kychub.store.ApiKeyStore;
import io.kychub.providers.api.ProviderClient;
import io.kychub.reconcile.ReuseCoordinator;
import io.kychub.store.CredentialStore;
import io.kychub.store.CustomerStore;
import io.kychub.store.EventLog;
import io.kychub.store.KycStore;
import io.kychub.store.StartRequestStore;
import io.kychub.store.TenantStore;
import io.kychub.stream.StreamMetrics;
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
    ApiKeyStore apiKeys,
    KycStore kyc,
    EventLog events,
    CustomerStore customers,
    Map<String, ProviderClient> clients,
    ReuseCoordinator reuse,
    StartRequestStore startRequests,
    StreamMetrics sseMetrics,
    AtomicLong dispatchBacklog,
    HazelcastClusterManager clusterManagerOrNull) {}
