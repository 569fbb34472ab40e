package io.kychub.clusterit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Real hub processes ({@code java -jar kyc-hub.jar}, no arguments: a node from the environment)
 * in one Hazelcast cluster on loopback ports, each logging to its own file. Every process is
 * killed on {@link #close()}, and by a shutdown hook should the test JVM itself be stopped.
 */
final class HubCluster implements AutoCloseable {

  static final String JWT_SECRET = "cluster-it-jwt-secret-0123456789abcdef-0123";

  /** One node's ports and process; {@code index} counts from 1, as in the logs. */
  static final class Node {
    final int index;
    final int httpPort;
    final int adminPort;
    final int clusterPort;
    final Path log;
    volatile Process process;

    Node(int index, int httpPort, int adminPort, int clusterPort, Path log) {
      this.index = index;
      this.httpPort = httpPort;
      this.adminPort = adminPort;
      this.clusterPort = clusterPort;
      this.log = log;
    }

    boolean alive() {
      Process p = process;
      return p != null && p.isAlive();
    }

    @Override
    public String toString() {
      return "node" + index + "(http " + httpPort + ")";
    }
  }

  final List<Node> nodes = new ArrayList<>();
  private final Path jar;
  private final Path workDir;
  private final Map<String, String> environment;
  private final Thread killer = new Thread(this::killAll, "cluster-it-kill-nodes");

  private HubCluster(Path jar, Path workDir, Map<String, String> environment) {
    this.jar = jar;
    this.workDir = workDir;
    this.environment = environment;
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /** Plans {@code size} nodes on free loopback ports; {@link #start} launches them. */
  static HubCluster plan(Path jar, Path workDir, String dbUrl, int size) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: package modules/app first (mvn verify builds it before this module)");
    }
    int[] ports = freePorts(size * 3);
    StringJoiner members = new StringJoiner(",");
    for (int i = 0; i < size; i++) {
      members.add("127.0.0.1:" + ports[3 * i + 2]);
    }
    Map<String, String> env = Map.ofEntries(
        Map.entry("KYC_CONFIG_FILE", workDir.resolve("no-config-file.json").toString()),
        Map.entry("KYC_DB_URL", dbUrl),
        Map.entry("KYC_DB_POOL_SIZE", "6"),
        Map.entry("KYC_HTTP_HOST", "127.0.0.1"),
        Map.entry("KYC_ADMIN_HOST", "127.0.0.1"),
        Map.entry("KYC_JWT_HS256_SECRET", JWT_SECRET),
        Map.entry("KYC_MASTER_KEY", randomKey()),
        Map.entry("KYC_FINGERPRINT_KEY", randomKey()),
        Map.entry("KYC_CLUSTER_MEMBERS", members.toString()),
        Map.entry("KYC_CLUSTER_HOST", "127.0.0.1"),
        // Its own cluster name: never joins another test's nodes on this machine.
        Map.entry("KYC_CLUSTER_NAME", "kyc-it-" + HexFormat.of().formatHex(randomBytes(4))),
        Map.entry("KYC_SWEEP_INTERVAL_MILLIS", "500"),
        Map.entry("KYC_SWEEP_AGE_MILLIS", "2000"),
        Map.entry("KYC_SSE_HEARTBEAT_SECONDS", "2"),
        Map.entry("KYC_SSE_RETRY_MILLIS", "1000"),
        // A follow-up claimed by a node that dies is taken over after this, not after the default minute.
        Map.entry("KYC_FOLLOW_UP_LEASE_SECONDS", "5"),
        // The operator webhook receiver is on loopback; an attempt is at most 2 s (so a dead node's lease is short).
        Map.entry("KYC_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true"),
        Map.entry("KYC_WEBHOOK_TIMEOUT_MILLIS", "2000"),
        Map.entry("KYC_WEBHOOK_RETRY_SCALE", "0.1"),
        Map.entry("KYC_LOG_LEVEL", "INFO"));
    HubCluster cluster = new HubCluster(jar, workDir, env);
    for (int i = 0; i < size; i++) {
      Path log = workDir.resolve("node" + (i + 1) + ".log");
      Files.deleteIfExists(log);
      cluster.nodes.add(new Node(i + 1, ports[3 * i], ports[3 * i + 1], ports[3 * i + 2], log));
    }
    return cluster;
  }

  Node node(int index) {
    return nodes.get(index - 1);
  }

  /** Launches a node's process; {@link #awaitReady} tells when it serves. */
  void start(Node node) throws IOException {
    Path dir = workDir.resolve("node" + node.index);
    Files.createDirectories(dir);
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-jar", jar.toString())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log.toFile()));
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("KYC_"));
    env.putAll(environment);
    env.put("KYC_HTTP_PORT", Integer.toString(node.httpPort));
    env.put("KYC_ADMIN_PORT", Integer.toString(node.adminPort));
    env.put("KYC_CLUSTER_PORT", Integer.toString(node.clusterPort));
    node.process = builder.start();
  }

  /** Waits until the node's /health/ready answers 200; fails early with its log when the process ends. */
  void awaitReady(Node node, long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      if (!node.alive()) {
        throw new AssertionError(node + " exited:\n" + logTail(node));
      }
      if (LoopbackHttp.get(node.httpPort, "/health/ready", Map.of()).status() == 200) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(node + " not ready after " + timeoutMillis + " ms:\n" + logTail(node));
  }

  /** SIGKILL: the process gets no chance to leave the cluster, finish requests or close sockets cleanly. */
  void kill(Node node) throws InterruptedException {
    Process p = node.process;
    if (p != null) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  List<Node> alive() {
    return nodes.stream().filter(Node::alive).toList();
  }

  String logTail(Node node) {
    try {
      List<String> lines = Files.readAllLines(node.log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }

  private void killAll() {
    for (Node node : nodes) {
      Process p = node.process;
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }
    for (Node node : nodes) {
      Process p = node.process;
      if (p != null) {
        try {
          p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Distinct ports free on loopback right now (held together while choosing, so they differ). */
  static int[] freePorts(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  static String randomKey() {
    return Base64.getEncoder().encodeToString(randomBytes(32));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
