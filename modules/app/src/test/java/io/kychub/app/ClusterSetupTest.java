package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.kychub.model.ConfigException;
import io.kychub.model.HubConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** From the cluster keys of the configuration to Hazelcast's network and join settings. */
class ClusterSetupTest {

  private static HubConfig config(Map<String, Object> keys) {
    JsonObject json = new JsonObject()
        .put("KYC_JWT_HS256_SECRET", HubHarness.JWT_SECRET)
        .put("KYC_MASTER_KEY", HubHarness.randomKey());
    keys.forEach(json::put);
    return HubConfig.from(json);
  }

  @Test
  void withoutMembersOrDiscoveryTheNodeRunsAlone() {
    HubConfig config = config(Map.of());
    assertThat(config.cluster().clustered()).isFalse();
    assertThat(config.cluster().description()).isEqualTo("single node");
  }

  @Test
  void aMemberListJoinsOverTcpIpOnly() {
    HubConfig config = config(Map.of("KYC_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701", "KYC_CLUSTER_PORT", 5702,
        "KYC_CLUSTER_NAME", "kyc-prod"));
    Config hz = ClusterSetup.hazelcastConfig(config);
    JoinConfig join = hz.getNetworkConfig().getJoin();

    assertThat(config.cluster().clustered()).isTrue();
    assertThat(hz.getClusterName()).isEqualTo("kyc-prod");
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(hz.getNetworkConfig().getPort()).isEqualTo(5702);
    assertThat(hz.getNetworkConfig().getPublicAddress()).isEqualTo("127.0.0.1:5702");
    // Vert.x's own maps keep their settings (the subscriptions survive one member's death).
    assertThat(hz.getMultiMapConfig("__vertx.subs").getBackupCount()).isEqualTo(1);
  }

  @Test
  void kubernetesDiscoveryLooksUpTheHeadlessServiceInDns() {
    HubConfig config = config(Map.of("KYC_CLUSTER_KUBERNETES_SERVICE_DNS", "kyc-hub-cluster.kyc.svc.cluster.local",
        "KYC_CLUSTER_HOST", "127.0.0.1"));
    JoinConfig join = ClusterSetup.hazelcastConfig(config).getNetworkConfig().getJoin();

    assertThat(config.cluster().clustered()).isTrue();
    assertThat(config.cluster().description()).isEqualTo("kubernetes dns kyc-hub-cluster.kyc.svc.cluster.local:5701");
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("kyc-hub-cluster.kyc.svc.cluster.local");
    assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
  }

  @Test
  void membersAndKubernetesDiscoveryTogetherAreRefused() {
    assertThatThrownBy(() -> config(Map.of("KYC_CLUSTER_MEMBERS", "10.0.0.1:5701",
        "KYC_CLUSTER_KUBERNETES_SERVICE_DNS", "kyc-hub-cluster", "KYC_CLUSTER_HOST", "10.0.0.3")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KYC_CLUSTER_MEMBERS, KYC_CLUSTER_KUBERNETES_SERVICE_DNS: set only one");
  }

  @Test
  void kubernetesDiscoveryNeedsThePodAddress() {
    assertThatThrownBy(() -> config(Map.of("KYC_CLUSTER_KUBERNETES_SERVICE_DNS", "kyc-hub-cluster")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KYC_CLUSTER_HOST: required with KYC_CLUSTER_KUBERNETES_SERVICE_DNS");
  }

  @Test
  void aBadClusterNameIsNamed() {
    assertThatThrownBy(() -> config(Map.of("KYC_CLUSTER_NAME", "no spaces")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KYC_CLUSTER_NAME");
  }

  @Test
  void aClusterHostNameIsResolvedToTheAddressPeersUse() {
    HubConfig config = config(Map.of("KYC_CLUSTER_MEMBERS", "localhost:5701", "KYC_CLUSTER_HOST", "localhost"));
    assertThat(ClusterSetup.advertisedHost(config)).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThatThrownBy(() -> ClusterSetup.advertisedHost(config(Map.of("KYC_CLUSTER_HOST", "no-such-host.invalid"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KYC_CLUSTER_HOST");
  }

  @Test
  void aFailureTimeoutSetsHazelcastsHeartbeats() {
    Config hz = ClusterSetup.hazelcastConfig(config(Map.of("KYC_CLUSTER_MEMBERS", "127.0.0.1:5701",
        "KYC_CLUSTER_FAILURE_SECONDS", 20)));
    assertThat(hz.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("20");
    assertThat(hz.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("4");
  }

  /** Kubernetes' DNS mode needs no API server: a name that resolves to this host finds this node. */
  @Test
  void aNodeStartsWithKubernetesDnsDiscovery() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    HubConfig config = config(Map.of("KYC_CLUSTER_KUBERNETES_SERVICE_DNS", "localhost", "KYC_CLUSTER_HOST", "127.0.0.1",
        "KYC_CLUSTER_PORT", port, "KYC_CLUSTER_NAME", "kyc-test-" + port));
    var clusterManager = ClusterSetup.clusterManager(config);
    Vertx vertx = Vertx.builder().withClusterManager(clusterManager).buildClustered().await(60, TimeUnit.SECONDS);
    try {
      assertThat(vertx.isClustered()).isTrue();
      assertThat(clusterManager.getNodes()).hasSize(1);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
