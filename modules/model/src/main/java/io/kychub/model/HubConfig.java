package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's whole configuration, one typed record. Keys are the environment variable names; the
 * same keys may be set in {@code conf/kyc-hub.json}. {@link #from} validates everything and names
 * the wrong key.
 */
public record HubConfig(
    String dbUrl,
    int dbPoolSize,
    String httpHost,
    int httpPort,
    String adminHost,
    int adminPort,
    Jwt jwt,
    MasterKeys masterKeys,
    byte[] fingerprintKey,
    List<String> clusterMembers,
    String clusterHost,
    int clusterPort,
    String clusterName,
    String clusterKubernetesServiceDns,
    int clusterBusPort,
    int clusterFailureSeconds,
    int webhookMaxBytes,
    int tenantRateLimit,
    int sseHeartbeatSeconds,
    int sseRetryMillis,
    int sseMaxQueuedEvents,
    long sweepIntervalMillis,
    long sweepAgeMillis,
    int inboxBatchMax,
    int inboxInFlight,
    int dispatchInFlight,
    int dispatchQueue,
    int reconcileInFlight,
    int reconcileLingerMillis,
    long pendingTtlMillis,
    long pollIdleMillis,
    long verificationSweepMillis) {

  /** Admin JWT verification: exactly one key source, plus optional issuer/audience and the role. */
  public record Jwt(
      String hs256Secret, String publicKeyPem, String jwksUrl, String issuer, String audience, String rolesClaim, String adminRole) {
    @Override
    public String toString() {
      return "Jwt[hs256Secret=" + (hs256Secret == null ? "none" : "****") + ", publicKey=" + (publicKeyPem != null)
          + ", jwksUrl=" + jwksUrl + ", issuer=" + issuer + ", audience=" + audience + "]";
    }
  }

  /** AES-GCM master keys by id: {@code currentId} encrypts, every key decrypts (rotation). */
  public record MasterKeys(String currentId, Map<String, byte[]> keys) {
    public byte[] current() {
      return keys.get(currentId);
    }

    @Override
    public String toString() {
      return "MasterKeys[current=" + currentId + ", ids=" + keys.keySet() + "]";
    }
  }

  /** Clustered when members are listed or Kubernetes discovery is configured; otherwise a single node. */
  public boolean clustered() {
    return !clusterMembers.isEmpty() || clusterKubernetesServiceDns != null;
  }

  @Override
  public String toString() {
    return "HubConfig[db=" + redactedDbUrl() + ", http=" + httpPort + ", admin=" + adminPort + ", " + jwt + ", "
        + masterKeys + ", cluster=" + clusterDescription() + "]";
  }

  /** How this node finds its peers, for logs. */
  public String clusterDescription() {
    if (clusterKubernetesServiceDns != null) {
      return "kubernetes dns " + clusterKubernetesServiceDns + ":" + clusterPort;
    }
    return clusterMembers.isEmpty() ? "single node" : "members " + clusterMembers;
  }

  /** The database URL with any password removed, for logs. */
  public String redactedDbUrl() {
    return dbUrl.replaceAll("://([^:/@]+):[^@]*@", "://$1:****@");
  }

  public static HubConfig from(JsonObject c) {
    List<String> errors = new ArrayList<>();
    Reader r = new Reader(c, errors);
    String dbUrl = r.string("KYC_DB_URL", "postgresql://postgres@127.0.0.1:5432/kyc");
    if (!dbUrl.startsWith("postgresql://") && !dbUrl.startsWith("postgres://")) {
      errors.add("KYC_DB_URL: must be a postgresql:// URI");
    }
    Jwt jwt = new Jwt(
        r.string("KYC_JWT_HS256_SECRET", null),
        r.string("KYC_JWT_PUBLIC_KEY", null),
        r.string("KYC_JWT_JWKS_URL", null),
        r.string("KYC_JWT_ISSUER", null),
        r.string("KYC_JWT_AUDIENCE", null),
        r.string("KYC_JWT_ROLES_CLAIM", "roles"),
        r.string("KYC_JWT_ADMIN_ROLE", "kyc-admin"));
    int sources = (jwt.hs256Secret() != null ? 1 : 0) + (jwt.publicKeyPem() != null ? 1 : 0) + (jwt.jwksUrl() != null ? 1 : 0);
    if (sources == 0) {
      errors.add("KYC_JWT_HS256_SECRET, KYC_JWT_PUBLIC_KEY or KYC_JWT_JWKS_URL: one is required to secure the admin API");
    } else if (sources > 1) {
      errors.add("KYC_JWT_HS256_SECRET, KYC_JWT_PUBLIC_KEY, KYC_JWT_JWKS_URL: set only one");
    }
    if (jwt.hs256Secret() != null && jwt.hs256Secret().length() < 32) {
      errors.add("KYC_JWT_HS256_SECRET: must be at least 32 characters");
    }
    if (jwt.jwksUrl() != null) {
      r.uri("KYC_JWT_JWKS_URL", jwt.jwksUrl());
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    String keyId = r.string("KYC_MASTER_KEY_ID", "k1");
    byte[] master = r.key32("KYC_MASTER_KEY", true);
    if (master != null) {
      keys.put(keyId, master);
    }
    String old = r.string("KYC_MASTER_KEYS_PREVIOUS", null);
    if (old != null) {
      for (String entry : old.split(",")) {
        String[] parts = entry.trim().split(":", 2);
        byte[] k = parts.length == 2 ? decode32(parts[1]) : null;
        if (k == null) {
          errors.add("KYC_MASTER_KEYS_PREVIOUS: each entry must be <keyId>:<base64 of 32 bytes>");
        } else {
          keys.putIfAbsent(parts[0], k);
        }
      }
    }
    byte[] fingerprintKey = r.key32("KYC_FINGERPRINT_KEY", false);
    String members = r.string("KYC_CLUSTER_MEMBERS", "");
    List<String> clusterMembers = new ArrayList<>();
    for (String m : members.split(",")) {
      if (!m.isBlank()) {
        String member = m.trim();
        if (!member.matches("[^:\\s]+(:\\d{1,5})?")) {
          errors.add("KYC_CLUSTER_MEMBERS: '" + member + "' is not host or host:port");
        }
        clusterMembers.add(member);
      }
    }
    String kubernetesDns = r.string("KYC_CLUSTER_KUBERNETES_SERVICE_DNS", null);
    if (kubernetesDns != null && !clusterMembers.isEmpty()) {
      // Hazelcast allows one join method only.
      errors.add("KYC_CLUSTER_MEMBERS, KYC_CLUSTER_KUBERNETES_SERVICE_DNS: set only one");
    }
    if (kubernetesDns != null && r.string("KYC_CLUSTER_HOST", null) == null) {
      // The loopback default would announce an address no other pod can reach.
      errors.add("KYC_CLUSTER_HOST: required with KYC_CLUSTER_KUBERNETES_SERVICE_DNS (the pod's IP, from status.podIP)");
    }
    String clusterName = r.string("KYC_CLUSTER_NAME", "kyc-hub");
    if (!clusterName.matches("[A-Za-z0-9._-]{1,64}")) {
      errors.add("KYC_CLUSTER_NAME: letters, digits, '.', '_' or '-' (at most 64)");
    }
    HubConfig config = new HubConfig(
        dbUrl,
        r.integer("KYC_DB_POOL_SIZE", 16, 1, 512),
        r.string("KYC_HTTP_HOST", "0.0.0.0"),
        r.integer("KYC_HTTP_PORT", 8080, 0, 65535),
        r.string("KYC_ADMIN_HOST", "0.0.0.0"),
        r.integer("KYC_ADMIN_PORT", 8081, 0, 65535),
        jwt,
        new MasterKeys(keyId, Map.copyOf(keys)),
        fingerprintKey,
        List.copyOf(clusterMembers),
        r.string("KYC_CLUSTER_HOST", "127.0.0.1"),
        r.integer("KYC_CLUSTER_PORT", 5701, 0, 65535),
        clusterName,
        kubernetesDns,
        r.integer("KYC_CLUSTER_BUS_PORT", 0, 0, 65535),
        r.integer("KYC_CLUSTER_FAILURE_SECONDS", 15, 2, 600),
        r.integer("KYC_WEBHOOK_MAX_BYTES", 256 * 1024, 1024, 16 * 1024 * 1024),
        r.integer("KYC_TENANT_RATE_LIMIT", 5000, 1, 1_000_000),
        r.integer("KYC_SSE_HEARTBEAT_SECONDS", 15, 1, 3600),
        r.integer("KYC_SSE_RETRY_MILLIS", 3000, 100, 600_000),
        r.integer("KYC_SSE_MAX_QUEUED_EVENTS", 1000, 10, 1_000_000),
        r.integer("KYC_SWEEP_INTERVAL_MILLIS", 2000, 100, 3_600_000),
        r.integer("KYC_SWEEP_AGE_MILLIS", 5000, 100, 3_600_000),
        r.integer("KYC_INBOX_BATCH_MAX", 256, 1, 10_000),
        r.integer("KYC_INBOX_IN_FLIGHT", 2, 1, 16),
        // Below the 20,000 messages the reconciler queues before it pauses its consumer.
        r.integer("KYC_DISPATCH_IN_FLIGHT", 256, 1, 10_000),
        r.integer("KYC_DISPATCH_QUEUE", 50_000, 0, 1_000_000),
        // Each takes a connection of the main pool (KYC_DB_POOL_SIZE) while it runs.
        r.integer("KYC_RECONCILE_IN_FLIGHT", 2, 1, 256),
        r.integer("KYC_RECONCILE_LINGER_MILLIS", 3, 0, 1000),
        r.integer("KYC_PENDING_TTL_SECONDS", 24 * 3600, 1, 365 * 24 * 3600) * 1000L,
        r.integer("KYC_POLL_IDLE_SECONDS", 600, 1, 7 * 24 * 3600) * 1000L,
        r.integer("KYC_VERIFICATION_SWEEP_MILLIS", 30_000, 100, 3_600_000));
    if (!errors.isEmpty()) {
      throw new ConfigException("invalid configuration: " + String.join("; ", errors));
    }
    return config;
  }

  private static byte[] decode32(String base64) {
    try {
      byte[] k = Base64.getDecoder().decode(base64.trim());
      return k.length == 32 ? k : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private record Reader(JsonObject c, List<String> errors) {
    String string(String key, String def) {
      Object v = c.getValue(key);
      if (v == null) {
        return def;
      }
      String s = String.valueOf(v).trim();
      return s.isEmpty() ? def : s;
    }

    int integer(String key, int def, int min, int max) {
      String s = string(key, null);
      if (s == null) {
        return def;
      }
      try {
        int v = Integer.parseInt(s);
        if (v < min || v > max) {
          errors.add(key + ": must be between " + min + " and " + max);
        }
        return v;
      } catch (NumberFormatException e) {
        errors.add(key + ": must be a whole number");
        return def;
      }
    }

    byte[] key32(String key, boolean required) {
      String s = string(key, null);
      if (s == null) {
        if (required) {
          errors.add(key + ": required, base64 of 32 random bytes (e.g. `openssl rand -base64 32`)");
        }
        return null;
      }
      byte[] k = decode32(s);
      if (k == null) {
        errors.add(key + ": must be base64 of exactly 32 bytes");
      }
      return k;
    }

    void uri(String key, String value) {
      try {
        URI u = URI.create(value);
        if (u.getScheme() == null || u.getHost() == null) {
          errors.add(key + ": must be an absolute URL");
        }
      } catch (IllegalArgumentException e) {
        errors.add(key + ": must be an absolute URL");
      }
    }
  }
}
