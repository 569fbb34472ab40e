package io.kychub.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.kychub.model.HubConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Hazelcast for the clustered event bus: TCP/IP with the configured member list, no multicast,
 * no auto-detection, bound to the configured host. Starts from Vert.x's own Hazelcast config so
 * its internal maps stay configured.
 */
final class ClusterSetup {

  private ClusterSetup() {}

  static HazelcastClusterManager clusterManager(HubConfig config) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName("kyc-hub");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.clusterPort()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(config.clusterHost());
    network.setPublicAddress(config.clusterHost() + ":" + config.clusterPort());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(config.clusterMembers());
    hz.setProperty("hazelcast.local.localAddress", config.clusterHost());
    return new HazelcastClusterManager(hz);
  }
}
