package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event bus over mutual TLS in a real two-node cluster: a webhook stored on one node reaches a
 * stream on the other, and the bus port accepts no peer without a certificate from the cluster's CA.
 */
class ClusterTlsTest {

  private static HubHarness first;
  private static HubHarness second;
  private static TestCertificates.NodeFiles stranger;
  private static TestCertificates.NodeFiles member;
  private static int secondBusPort;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("kyc-cluster-tls");
    TestCertificates ca = new TestCertificates(dir, "kyc-test");
    member = ca.node("client");
    stranger = new TestCertificates(dir, "other").node("stranger");
    List<Map<String, Object>> cluster = HubHarness.loopbackCluster(2);
    first = HubHarness.start(ClusterTlsTest.class, withTls(cluster.get(0), ca.node("node1")));
    second = HubHarness.peer(first, withTls(cluster.get(1), ca.node("node2")));
    secondBusPort = (Integer) cluster.get(1).get("KYC_CLUSTER_BUS_PORT");
    long deadline = System.currentTimeMillis() + 30_000;
    while (first.node.services().clusterManagerOrNull().getNodes().size() < 2 && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    second.close();
    first.close();
  }

  private static Map<String, Object> withTls(Map<String, Object> cluster, TestCertificates.NodeFiles files) {
    Map<String, Object> all = new HashMap<>(cluster);
    all.put("KYC_CLUSTER_TLS_CERT", files.cert().toString());
    all.put("KYC_CLUSTER_TLS_KEY", files.key().toString());
    all.put("KYC_CLUSTER_TLS_CA", files.ca().toString());
    return all;
  }

  @Test
  void aWebhookOnOneNodeReachesAStreamOnTheOtherOverTheTlsBus() throws Exception {
    String key = first.tenantWithEverything("tls-t", "tls-secret-0123456789ab");
    try (SseClient onSecond = second.sse(key, "", null)) {
      assertThat(onSecond.status).isEqualTo(200);
      String body = "{\"externalUserId\":\"tls-1\",\"verificationStatus\":\"VERIFIED\"}";
      // Several, so at least one is applied on the first node and crosses the bus as an event.
      for (int i = 0; i < 4; i++) {
        assertThat(first.signedWebhook("tls-t", "p100", "tls-secret-0123456789ab",
            body.replace("tls-1", "tls-" + i)).statusCode()).isEqualTo(200);
      }
      assertThat(onSecond.await(4, 10_000)).extracting(e -> e.data().getString("customerId"))
          .containsExactlyInAnyOrder("tls-0", "tls-1", "tls-2", "tls-3");
    }
    assertThat(first.node.services().clusterManagerOrNull().getNodes()).hasSize(2);
  }

  @Test
  void theBusPortRefusesPeersWithoutACertificateOfTheClustersCa() throws Exception {
    assertThat(usable(new NetClientOptions().setSsl(true).setTrustAll(true))).as("no client certificate").isFalse();
    assertThat(usable(new NetClientOptions().setSsl(true).setTrustAll(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(stranger.cert().toString())
            .setKeyPath(stranger.key().toString())))).as("a certificate of another CA").isFalse();
    assertThat(usable(new NetClientOptions())).as("plain TCP").isFalse();
    // The control: a client with a certificate of the cluster's CA is let in.
    assertThat(usable(new NetClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(member.ca().toString()))
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(member.cert().toString())
            .setKeyPath(member.key().toString())))).as("a certificate of the cluster's CA").isTrue();
  }

  /**
   * Connects to the second node's bus port and says nothing for two seconds: usable when the
   * connection (handshake included) is still open then. With TLS 1.3 a refused client certificate
   * shows only after the client's side of the handshake, as the server closing the connection.
   */
  private static boolean usable(NetClientOptions options) throws Exception {
    // Peers are addressed by IP and not checked by name, as the nodes do it.
    NetClient client = first.node.vertx().createNetClient(options.setConnectTimeout(5_000).setHostnameVerificationAlgorithm(""));
    try {
      NetSocket socket;
      try {
        socket = client.connect(secondBusPort, "127.0.0.1").await(10, TimeUnit.SECONDS);
      } catch (Exception refused) {
        return false;
      }
      AtomicBoolean closed = new AtomicBoolean();
      socket.closeHandler(v -> closed.set(true));
      // A refused certificate arrives as the server's alert, then the close.
      socket.exceptionHandler(e -> closed.set(true));
      if (!options.isSsl()) {
        // Not TLS: the server's TLS handler takes these bytes as a broken handshake.
        socket.write("GET / HTTP/1.1\r\n\r\n");
      }
      Thread.sleep(2_000);
      boolean open = !closed.get();
      Future<Void> closing = socket.close();
      closing.await(5, TimeUnit.SECONDS);
      return open;
    } finally {
      client.close().await(5, TimeUnit.SECONDS);
    }
  }
}
