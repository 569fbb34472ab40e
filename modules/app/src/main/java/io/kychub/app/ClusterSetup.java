package io.kychub.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.kychub.model.ConfigException;
import io.kychub.model.HubConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

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
    hz.setClusterName(config.cluster().name());
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A silent peer (no clean leave, no refused connection) is dropped after this long; a killed
    // process on a reachable host is noticed at once through its refused connections.
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(config.cluster().failureSeconds()));
    hz.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(Math.max(1, config.cluster().failureSeconds() / 5)));
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(MERGE_DELAY_SECONDS));
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(MERGE_DELAY_SECONDS));
    hz.setProperty("hazelcast.local.localAddress", host);
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.cluster().port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(host);
    network.setPublicAddress(host + ":" + config.cluster().port());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (config.cluster().kubernetesServiceDns() != null) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", config.cluster().kubernetesServiceDns())
          .setProperty("service-port", Integer.toString(config.cluster().port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(config.cluster().members());
    }
    return hz;
  }

  /**
   * Mutual TLS on the event bus when configured: every node presents its certificate and accepts
   * peers (as server and as client) only with a certificate from the cluster's CA. Host names are
   * not checked: peers are addressed by IP, and holding a certificate of this CA is what makes a
   * process a node of this cluster.
   */
  static void secureEventBus(EventBusOptions bus, HubConfig.Tls tlsOrNull) {
    if (tlsOrNull == null) {
      return;
    }
    for (String path : new String[] {tlsOrNull.certPath(), tlsOrNull.keyPath(), tlsOrNull.caPath()}) {
      if (!Files.isReadable(Path.of(path))) {
        throw new ConfigException("KYC_CLUSTER_TLS_*: cannot read '" + path + "'");
      }
    }
    bus.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tlsOrNull.certPath()).setKeyPath(tlsOrNull.keyPath()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tlsOrNull.caPath()))
        .setClientAuth(ClientAuth.REQUIRED);
  }

  /**
   * The address this node binds and announces for Hazelcast and the event bus. A name (a compose
   * service, a pod's host name) is resolved once at start: peers must be able to reach the address.
   */
  static String advertisedHost(HubConfig config) {
    try {
      return InetAddress.getByName(config.cluster().host()).getHostAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException("KYC_CLUSTER_HOST: cannot resolve '" + config.cluster().host() + "'");
    }
  }
}
