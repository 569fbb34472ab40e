package io.kychub.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.kychub.model.ConfigException;
import io.kychub.model.HubConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Hazelcast for the clustered event bus. Peers are found either by the TCP/IP member list
 * ({@code KYC_CLUSTER_MEMBERS}) or by Kubernetes DNS lookup of a headless service
 * ({@code KYC_CLUSTER_KUBERNETES_SERVICE_DNS}); never multicast or auto-detection. Starts from
 * Vert.x's own Hazelcast config so its internal maps stay configured.
 */
final class ClusterSetup {

  /** A split cluster (peers started before they could see each other) heals after this long. */
  static final int MERGE_DELAY_SECONDS = 30;

  private ClusterSetup() {}

  static HazelcastClusterManager clusterManager(HubConfig config) {
    return new HazelcastClusterManager(hazelcastConfig(config));
  }

  static Config hazelcastConfig(HubConfig config) {
    String host = advertisedHost(config);
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.clusterName());
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A silent peer (no clean leave, no refused connection) is dropped after this long; a killed
    // process on a reachable host is noticed at once through its refused connections.
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(config.clusterFailureSeconds()));
    hz.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(Math.max(1, config.clusterFailureSeconds() / 5)));
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(MERGE_DELAY_SECONDS));
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(MERGE_DELAY_SECONDS));
    hz.setProperty("hazelcast.local.localAddress", host);
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.clusterPort()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(host);
    network.setPublicAddress(host + ":" + config.clusterPort());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (config.clusterKubernetesServiceDns() != null) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", config.clusterKubernetesServiceDns())
          .setProperty("service-port", Integer.toString(config.clusterPort()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(config.clusterMembers());
    }
    return hz;
  }

  /**
   * The address this node binds and announces for Hazelcast and the event bus. A name (a compose
   * service, a pod's host name) is resolved once at start: peers must be able to reach the address.
   */
  static String advertisedHost(HubConfig config) {
    try {
      return InetAddress.getByName(config.clusterHost()).getHostAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException("KYC_CLUSTER_HOST: cannot resolve '" + config.clusterHost() + "'");
    }
  }
}
