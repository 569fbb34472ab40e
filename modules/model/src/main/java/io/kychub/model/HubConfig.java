package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hub's whole configuration in typed sections. Keys are the environment variable names; the
 * same keys may be set in {@code conf/kyc-hub.json}. Every key and its default is declared once,
 * in {@link #SETTINGS}; {@link #from} validates everything and names the wrong key.
 */
public record HubConfig(
    Database database,
    Http http,
    Jwt jwt,
    Keys keys,
    Cluster cluster,
    Ingest ingest,
    Reconcile reconcile,
    Stream stream,
    Verification verification,
    Limits limits,
    Webhooks webhooks) {

  // --- every key, with its default -------------------------------------------------------------

  public static final Setting DB_URL = Setting.text("KYC_DB_URL", "postgresql://postgres@127.0.0.1:5432/kyc");
  public static final Setting DB_POOL_SIZE = Setting.number("KYC_DB_POOL_SIZE", 16, 1, 512);
  public static final Setting DB_AUTH_POOL_SIZE = Setting.number("KYC_DB_AUTH_POOL_SIZE", 2, 1, 64);
  public static final Setting HTTP_HOST = Setting.text("KYC_HTTP_HOST", "0.0.0.0");
  public static final Setting HTTP_PORT = Setting.number("KYC_HTTP_PORT", 8080, 0, 65535);
  public static final Setting ADMIN_HOST = Setting.text("KYC_ADMIN_HOST", "0.0.0.0");
  public static final Setting ADMIN_PORT = Setting.number("KYC_ADMIN_PORT", 8081, 0, 65535);
  public static final Setting JWT_HS256_SECRET = Setting.none("KYC_JWT_HS256_SECRET");
  public static final Setting JWT_PUBLIC_KEY = Setting.none("KYC_JWT_PUBLIC_KEY");
  public static final Setting JWT_JWKS_URL = Setting.none("KYC_JWT_JWKS_URL");
  public static final Setting JWT_ISSUER = Setting.none("KYC_JWT_ISSUER");
  public static final Setting JWT_AUDIENCE = Setting.none("KYC_JWT_AUDIENCE");
  public static final Setting JWT_ROLES_CLAIM = Setting.text("KYC_JWT_ROLES_CLAIM", "roles");
  public static final Setting JWT_ADMIN_ROLE = Setting.text("KYC_JWT_ADMIN_ROLE", "kyc-admin");
  public static final Setting MASTER_KEY = Setting.none("KYC_MASTER_KEY");
  public static final Setting MASTER_KEY_ID = Setting.text("KYC_MASTER_KEY_ID", "k1");
  public static final Setting MASTER_KEYS_PREVIOUS = Setting.none("KYC_MASTER_KEYS_PREVIOUS");
  public static final Setting FINGERPRINT_KEY = Setting.none("KYC_FINGERPRINT_KEY");
  public static final Setting CLUSTER_MEMBERS = Setting.none("KYC_CLUSTER_MEMBERS");
  public static final Setting CLUSTER_HOST = Setting.text("KYC_CLUSTER_HOST", "127.0.0.1");
  public static final Setting CLUSTER_PORT = Setting.number("KYC_CLUSTER_PORT", 5701, 0, 65535);
  public static final Setting CLUSTER_KUBERNETES_SERVICE_DNS = Setting.none("KYC_CLUSTER_KUBERNETES_SERVICE_DNS");
  public static final Setting CLUSTER_NAME = Setting.text("KYC_CLUSTER_NAME", "kyc-hub");
  public static final Setting CLUSTER_BUS_PORT = Setting.number("KYC_CLUSTER_BUS_PORT", 0, 0, 65535);
  public static final Setting CLUSTER_FAILURE_SECONDS = Setting.number("KYC_CLUSTER_FAILURE_SECONDS", 15, 2, 600);
  public static final Setting CLUSTER_TLS_CERT = Setting.none("KYC_CLUSTER_TLS_CERT");
  public static final Setting CLUSTER_TLS_KEY = Setting.none("KYC_CLUSTER_TLS_KEY");
  public static final Setting CLUSTER_TLS_CA = Setting.none("KYC_CLUSTER_TLS_CA");
  public static final Setting WEBHOOK_MAX_BYTES = Setting.number("KYC_WEBHOOK_MAX_BYTES", 256 * 1024, 1024, 16 * 1024 * 1024);
  public static final Setting INBOX_BATCH_MAX = Setting.number("KYC_INBOX_BATCH_MAX", 256, 1, 10_000);
  public static final Setting INBOX_IN_FLIGHT = Setting.number("KYC_INBOX_IN_FLIGHT", 2, 1, 16);
  // Below the 20,000 messages the reconciler queues before it pauses its consumer.
  public static final Setting DISPATCH_IN_FLIGHT = Setting.number("KYC_DISPATCH_IN_FLIGHT", 256, 1, 10_000);
  public static final Setting DISPATCH_QUEUE = Setting.number("KYC_DISPATCH_QUEUE", 50_000, 0, 1_000_000);
  public static final Setting SWEEP_INTERVAL_MILLIS = Setting.number("KYC_SWEEP_INTERVAL_MILLIS", 2000, 100, 3_600_000);
  public static final Setting SWEEP_AGE_MILLIS = Setting.number("KYC_SWEEP_AGE_MILLIS", 5000, 100, 3_600_000);
  // Each takes a connection of the main pool (KYC_DB_POOL_SIZE) while it runs.
  public static final Setting RECONCILE_IN_FLIGHT = Setting.number("KYC_RECONCILE_IN_FLIGHT", 2, 1, 256);
  public static final Setting RECONCILE_LINGER_MILLIS = Setting.number("KYC_RECONCILE_LINGER_MILLIS", 3, 0, 1000);
  // Longer than any follow-up takes (a provider call with its retries): until then no other node runs it.
  public static final Setting FOLLOW_UP_LEASE_SECONDS = Setting.number("KYC_FOLLOW_UP_LEASE_SECONDS", 60, 1, 3600);
  public static final Setting SSE_HEARTBEAT_SECONDS = Setting.number("KYC_SSE_HEARTBEAT_SECONDS", 15, 1, 3600);
  public static final Setting SSE_RETRY_MILLIS = Setting.number("KYC_SSE_RETRY_MILLIS", 3000, 100, 600_000);
  public static final Setting SSE_MAX_QUEUED_EVENTS = Setting.number("KYC_SSE_MAX_QUEUED_EVENTS", 1000, 10, 1_000_000);
  public static final Setting SSE_MAX_PER_CLIENT_SECRET = Setting.number("KYC_SSE_MAX_PER_CLIENT_SECRET", 3, 1, 1000);
  public static final Setting SSE_MAX_PER_API_KEY = Setting.number("KYC_SSE_MAX_PER_API_KEY", 500, 1, 1_000_000);
  public static final Setting SSE_MAX_PER_TENANT = Setting.number("KYC_SSE_MAX_PER_TENANT", 20_000, 1, 1_000_000);
  public static final Setting PENDING_TTL_SECONDS = Setting.number("KYC_PENDING_TTL_SECONDS", 24 * 3600, 1, 365 * 24 * 3600);
  public static final Setting POLL_IDLE_SECONDS = Setting.number("KYC_POLL_IDLE_SECONDS", 600, 1, 7 * 24 * 3600);
  public static final Setting VERIFICATION_SWEEP_MILLIS =
      Setting.number("KYC_VERIFICATION_SWEEP_MILLIS", 30_000, 100, 3_600_000);
  public static final Setting TENANT_RATE_LIMIT = Setting.number("KYC_TENANT_RATE_LIMIT", 5000, 1, 1_000_000);
  public static final Setting AUTH_FAILURE_LIMIT = Setting.number("KYC_AUTH_FAILURE_LIMIT", 50, 1, 1_000_000);
  public static final Setting REQUEST_BODY_TIMEOUT_MILLIS =
      Setting.number("KYC_REQUEST_BODY_TIMEOUT_MILLIS", 10_000, 100, 600_000);
  public static final Setting HTTP_IDLE_SECONDS = Setting.number("KYC_HTTP_IDLE_SECONDS", 60, 1, 3600);
  public static final Setting INGRESS_MAX_BUFFERED_BYTES =
      Setting.number("KYC_INGRESS_MAX_BUFFERED_BYTES", 64L * 1024 * 1024, 1024 * 1024, 16L * 1024 * 1024 * 1024);
  public static final Setting HTTP_MAX_CONNECTIONS = Setting.number("KYC_HTTP_MAX_CONNECTIONS", 20_000, 1, 1_000_000);
  public static final Setting WEBHOOK_ALLOW_PRIVATE_TARGETS = Setting.text("KYC_WEBHOOK_ALLOW_PRIVATE_TARGETS", "false");
  public static final Setting WEBHOOK_RETRY_SCALE = Setting.text("KYC_WEBHOOK_RETRY_SCALE", "1.0");
  public static final Setting WEBHOOK_DISABLE_AFTER_SECONDS =
      Setting.number("KYC_WEBHOOK_DISABLE_AFTER_SECONDS", 5 * 24 * 3600, 1, 365L * 24 * 3600);
  public static final Setting WEBHOOK_TIMEOUT_MILLIS = Setting.number("KYC_WEBHOOK_TIMEOUT_MILLIS", 10_000, 100, 60_000);
  /** Read by logback (conf in the jar), not by this record; listed so the README table stays complete. */
  public static final Setting LOG_LEVEL = Setting.text("KYC_LOG_LEVEL", "INFO");
  /** Read by the config loader before anything else. */
  public static final Setting CONFIG_FILE = Setting.text("KYC_CONFIG_FILE", "conf/kyc-hub.json");

  /** Every key the hub reads, in the README's order. */
  public static final List<Setting> SETTINGS = List.of(
      DB_URL, DB_POOL_SIZE, DB_AUTH_POOL_SIZE, HTTP_HOST, HTTP_PORT, ADMIN_HOST, ADMIN_PORT,
      JWT_HS256_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_ROLES_CLAIM, JWT_ADMIN_ROLE,
      MASTER_KEY, MASTER_KEY_ID, MASTER_KEYS_PREVIOUS, FINGERPRINT_KEY,
      CLUSTER_MEMBERS, CLUSTER_HOST, CLUSTER_PORT, CLUSTER_KUBERNETES_SERVICE_DNS, CLUSTER_NAME, CLUSTER_BUS_PORT,
      CLUSTER_FAILURE_SECONDS, CLUSTER_TLS_CERT, CLUSTER_TLS_KEY, CLUSTER_TLS_CA,
      WEBHOOK_MAX_BYTES, INBOX_BATCH_MAX, INBOX_IN_FLIGHT, DISPATCH_IN_FLIGHT, DISPATCH_QUEUE,
      SWEEP_INTERVAL_MILLIS, SWEEP_AGE_MILLIS, RECONCILE_IN_FLIGHT, RECONCILE_LINGER_MILLIS, FOLLOW_UP_LEASE_SECONDS,
      SSE_HEARTBEAT_SECONDS, SSE_RETRY_MILLIS, SSE_MAX_QUEUED_EVENTS, SSE_MAX_PER_CLIENT_SECRET, SSE_MAX_PER_API_KEY,
      SSE_MAX_PER_TENANT, PENDING_TTL_SECONDS, POLL_IDLE_SECONDS, VERIFICATION_SWEEP_MILLIS,
      TENANT_RATE_LIMIT, AUTH_FAILURE_LIMIT, REQUEST_BODY_TIMEOUT_MILLIS, HTTP_IDLE_SECONDS, INGRESS_MAX_BUFFERED_BYTES,
      HTTP_MAX_CONNECTIONS, WEBHOOK_ALLOW_PRIVATE_TARGETS, WEBHOOK_RETRY_SCALE, WEBHOOK_DISABLE_AFTER_SECONDS,
      WEBHOOK_TIMEOUT_MILLIS, LOG_LEVEL, CONFIG_FILE);

  /** An HS256 admin secret that is still the placeholder of a template. */
  static final String PLACEHOLDER_PREFIX = "change-me";

  // --- sections ----------------------------------------------------------------------------------

  /** PostgreSQL: the main pool (reconciler, APIs, sweeps) and a small one for credential lookups and health. */
  public record Database(String url, int poolSize, int authPoolSize) {
    /** The URL with any password removed, for logs. */
    public String redactedUrl() {
      return url.replaceAll("://([^:/@]+):[^@]*@", "://$1:****@");
    }
  }

  /** Where the public listener (webhooks, operator API, SSE, health) and the admin listener bind. */
  public record Http(String host, int port, String adminHost, int adminPort) {}

  /** Admin JWT verification: exactly one key source, plus optional issuer/audience and the role. */
  public record Jwt(
      String hs256Secret, String publicKeyPem, String jwksUrl, String issuer, String audience, String rolesClaim, String adminRole) {
    @Override
    public String toString() {
      return "Jwt[hs256Secret=" + (hs256Secret == null ? "none" : "****") + ", publicKey=" + (publicKeyPem != null)
          + ", jwksUrl=" + jwksUrl + ", issuer=" + issuer + ", audience=" + audience + "]";
    }
  }

  /** The master keys that seal stored secrets, and the key of identity fingerprints (null: identity claims refused). */
  public record Keys(MasterKeys masterKeys, byte[] fingerprintKeyOrNull) {
    @Override
    public String toString() {
      return "Keys[" + masterKeys + ", fingerprintKey=" + (fingerprintKeyOrNull != null) + "]";
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

  /** Hazelcast and the clustered event bus; {@code tlsOrNull} secures the event bus with mutual TLS. */
  public record Cluster(List<String> members, String host, int port, String name, String kubernetesServiceDns, int busPort,
      int failureSeconds, Tls tlsOrNull) {
    /** Clustered when members are listed or Kubernetes discovery is configured; otherwise a single node. */
    public boolean clustered() {
      return !members.isEmpty() || kubernetesServiceDns != null;
    }

    /** How this node finds its peers, for logs. */
    public String description() {
      if (kubernetesServiceDns != null) {
        return "kubernetes dns " + kubernetesServiceDns + ":" + port;
      }
      return members.isEmpty() ? "single node" : "members " + members;
    }
  }

  /** PEM files of the event bus's mutual TLS: this node's certificate chain and key, and the CA every node's certificate comes from. */
  public record Tls(String certPath, String keyPath, String caPath) {}

  /** The webhook path: body limit, group-committed inbox, hand-over to the adapters, the inbox sweep. */
  public record Ingest(int webhookMaxBytes, int inboxBatchMax, int inboxInFlight, int dispatchInFlight, int dispatchQueue,
      long sweepIntervalMillis, long sweepAgeMillis) {}

  /**
   * Reconcile transactions at once per node, how long a small group waits for company, and how
   * long a node holds a follow-up it claimed before another node may take it over.
   */
  public record Reconcile(int inFlight, int lingerMillis, int followUpLeaseSeconds) {}

  /** The SSE stream: heartbeat, retry hint, memory bound per client, and concurrent streams per credential and tenant (per node). */
  public record Stream(int heartbeatSeconds, int retryMillis, int maxQueuedEvents, int maxPerClientSecret, int maxPerApiKey,
      int maxPerTenant) {}

  /** Open verifications: pending TTL, idle time before a poll, and the sweep's interval. */
  public record Verification(long pendingTtlMillis, long pollIdleMillis, long sweepMillis) {}

  /**
   * What any client of the public listener can make a node hold: rates per tenant (authenticated
   * webhooks) and per tenant and source (failed authentications), unauthenticated body bytes, connections,
   * and how long a body or an idle connection may take.
   */
  public record Limits(int tenantRateLimit, int authFailureLimit, long ingressMaxBufferedBytes, int maxConnections,
      int idleSeconds, long requestBodyTimeoutMillis) {}

  /**
   * Operator webhooks: whether targets may be http or private addresses (tests, the demo, a
   * private network), the scale of the retry delays, how long an endpoint may fail before it is
   * disabled, and how long an attempt may take.
   */
  public record Webhooks(boolean allowPrivateTargets, double retryScale, long disableAfterSeconds, long timeoutMillis) {}

  @Override
  public String toString() {
    return "HubConfig[db=" + database.redactedUrl() + ", http=" + http.port() + ", admin=" + http.adminPort() + ", " + jwt
        + ", " + keys + ", cluster=" + cluster.description() + "]";
  }

  // --- reading -----------------------------------------------------------------------------------

  public static HubConfig from(JsonObject c) {
    List<String> errors = new ArrayList<>();
    Reader r = new Reader(c, errors);

    String dbUrl = r.string(DB_URL);
    if (!dbUrl.startsWith("postgresql://") && !dbUrl.startsWith("postgres://")) {
      errors.add(DB_URL.name() + ": must be a postgresql:// URI");
    }
    Database database = new Database(dbUrl, r.integer(DB_POOL_SIZE), r.integer(DB_AUTH_POOL_SIZE));
    Http http = new Http(r.string(HTTP_HOST), r.integer(HTTP_PORT), r.string(ADMIN_HOST), r.integer(ADMIN_PORT));
    Jwt jwt = jwt(r, errors);
    Keys keys = new Keys(masterKeys(r, errors), r.key32(FINGERPRINT_KEY, false));
    Cluster cluster = cluster(r, errors);
    Ingest ingest = new Ingest(r.integer(WEBHOOK_MAX_BYTES), r.integer(INBOX_BATCH_MAX), r.integer(INBOX_IN_FLIGHT),
        r.integer(DISPATCH_IN_FLIGHT), r.integer(DISPATCH_QUEUE), r.integer(SWEEP_INTERVAL_MILLIS), r.integer(SWEEP_AGE_MILLIS));
    Reconcile reconcile = new Reconcile(r.integer(RECONCILE_IN_FLIGHT), r.integer(RECONCILE_LINGER_MILLIS),
        r.integer(FOLLOW_UP_LEASE_SECONDS));
    Stream stream = new Stream(r.integer(SSE_HEARTBEAT_SECONDS), r.integer(SSE_RETRY_MILLIS), r.integer(SSE_MAX_QUEUED_EVENTS),
        r.integer(SSE_MAX_PER_CLIENT_SECRET), r.integer(SSE_MAX_PER_API_KEY), r.integer(SSE_MAX_PER_TENANT));
    Verification verification = new Verification(r.integer(PENDING_TTL_SECONDS) * 1000L, r.integer(POLL_IDLE_SECONDS) * 1000L,
        r.integer(VERIFICATION_SWEEP_MILLIS));
    Limits limits = new Limits(r.integer(TENANT_RATE_LIMIT), r.integer(AUTH_FAILURE_LIMIT), r.number(INGRESS_MAX_BUFFERED_BYTES),
        r.integer(HTTP_MAX_CONNECTIONS), r.integer(HTTP_IDLE_SECONDS), r.integer(REQUEST_BODY_TIMEOUT_MILLIS));
    Webhooks webhooks = new Webhooks(r.bool(WEBHOOK_ALLOW_PRIVATE_TARGETS), r.decimal(WEBHOOK_RETRY_SCALE, 0.0001, 100),
        r.number(WEBHOOK_DISABLE_AFTER_SECONDS), r.number(WEBHOOK_TIMEOUT_MILLIS));
    if (stream.heartbeatSeconds() >= limits.idleSeconds()) {
      // An SSE stream is kept open by its heartbeats; slower ones would let the idle timeout close it.
      errors.add(SSE_HEARTBEAT_SECONDS.name() + ": must be below " + HTTP_IDLE_SECONDS.name() + " (" + limits.idleSeconds() + ")");
    }
    if (!errors.isEmpty()) {
      throw new ConfigException("invalid configuration: " + String.join("; ", errors));
    }
    return new HubConfig(database, http, jwt, keys, cluster, ingest, reconcile, stream, verification, limits, webhooks);
  }

  private static Jwt jwt(Reader r, List<String> errors) {
    Jwt jwt = new Jwt(r.string(JWT_HS256_SECRET), r.string(JWT_PUBLIC_KEY), r.string(JWT_JWKS_URL), r.string(JWT_ISSUER),
        r.string(JWT_AUDIENCE), r.string(JWT_ROLES_CLAIM), r.string(JWT_ADMIN_ROLE));
    int sources = (jwt.hs256Secret() != null ? 1 : 0) + (jwt.publicKeyPem() != null ? 1 : 0) + (jwt.jwksUrl() != null ? 1 : 0);
    if (sources == 0) {
      errors.add(JWT_HS256_SECRET.name() + ", " + JWT_PUBLIC_KEY.name() + " or " + JWT_JWKS_URL.name()
          + ": one is required to secure the admin API");
    } else if (sources > 1) {
      errors.add(JWT_HS256_SECRET.name() + ", " + JWT_PUBLIC_KEY.name() + ", " + JWT_JWKS_URL.name() + ": set only one");
    }
    if (jwt.hs256Secret() != null) {
      if (jwt.hs256Secret().toLowerCase(Locale.ROOT).startsWith(PLACEHOLDER_PREFIX)) {
        errors.add(JWT_HS256_SECRET.name() + ": is still a template's placeholder; use e.g. `openssl rand -base64 48`");
      } else if (jwt.hs256Secret().getBytes(StandardCharsets.UTF_8).length < 32) {
        errors.add(JWT_HS256_SECRET.name() + ": must be at least 32 bytes");
      }
    }
    if (jwt.jwksUrl() != null) {
      jwksUrl(jwt.jwksUrl(), errors);
    }
    return jwt;
  }

  /** The JWKS decides who is an admin: it must come over https, unless from this machine. */
  private static void jwksUrl(String value, List<String> errors) {
    URI u;
    try {
      u = URI.create(value);
    } catch (IllegalArgumentException e) {
      errors.add(JWT_JWKS_URL.name() + ": must be an absolute URL");
      return;
    }
    if (u.getScheme() == null || u.getHost() == null) {
      errors.add(JWT_JWKS_URL.name() + ": must be an absolute URL");
    } else if (!u.getScheme().equalsIgnoreCase("https") && !(u.getScheme().equalsIgnoreCase("http") && loopback(u.getHost()))) {
      errors.add(JWT_JWKS_URL.name() + ": must be an https URL (http only on loopback)");
    }
  }

  /** A loopback host by its literal or the name localhost; never a DNS lookup. */
  static boolean loopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static MasterKeys masterKeys(Reader r, List<String> errors) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    String keyId = r.string(MASTER_KEY_ID);
    byte[] master = r.key32(MASTER_KEY, true);
    if (master != null) {
      keys.put(keyId, master);
    }
    String old = r.string(MASTER_KEYS_PREVIOUS);
    if (old != null) {
      for (String entry : old.split(",")) {
        String[] parts = entry.trim().split(":", 2);
        byte[] k = parts.length == 2 ? decode32(parts[1]) : null;
        if (k == null) {
          errors.add(MASTER_KEYS_PREVIOUS.name() + ": each entry must be <keyId>:<base64 of 32 bytes>");
        } else {
          keys.putIfAbsent(parts[0], k);
        }
      }
    }
    return new MasterKeys(keyId, Map.copyOf(keys));
  }

  private static Cluster cluster(Reader r, List<String> errors) {
    List<String> members = new ArrayList<>();
    String listed = r.string(CLUSTER_MEMBERS);
    for (String m : listed == null ? new String[0] : listed.split(",")) {
      if (!m.isBlank()) {
        String member = m.trim();
        if (!member.matches("[^:\\s]+(:\\d{1,5})?")) {
          errors.add(CLUSTER_MEMBERS.name() + ": '" + member + "' is not host or host:port");
        }
        members.add(member);
      }
    }
    String kubernetesDns = r.string(CLUSTER_KUBERNETES_SERVICE_DNS);
    if (kubernetesDns != null && !members.isEmpty()) {
      // Hazelcast allows one join method only.
      errors.add(CLUSTER_MEMBERS.name() + ", " + CLUSTER_KUBERNETES_SERVICE_DNS.name() + ": set only one");
    }
    if (kubernetesDns != null && r.raw(CLUSTER_HOST) == null) {
      // The loopback default would announce an address no other pod can reach.
      errors.add(CLUSTER_HOST.name() + ": required with " + CLUSTER_KUBERNETES_SERVICE_DNS.name()
          + " (the pod's IP, from status.podIP)");
    }
    String name = r.string(CLUSTER_NAME);
    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      errors.add(CLUSTER_NAME.name() + ": letters, digits, '.', '_' or '-' (at most 64)");
    }
    String cert = r.string(CLUSTER_TLS_CERT);
    String key = r.string(CLUSTER_TLS_KEY);
    String ca = r.string(CLUSTER_TLS_CA);
    Tls tls = null;
    if (cert != null || key != null || ca != null) {
      if (cert == null || key == null || ca == null) {
        errors.add(CLUSTER_TLS_CERT.name() + ", " + CLUSTER_TLS_KEY.name() + ", " + CLUSTER_TLS_CA.name()
            + ": set all three (PEM files) or none");
      } else {
        tls = new Tls(cert, key, ca);
      }
    }
    return new Cluster(List.copyOf(members), r.string(CLUSTER_HOST), r.integer(CLUSTER_PORT), name, kubernetesDns,
        r.integer(CLUSTER_BUS_PORT), r.integer(CLUSTER_FAILURE_SECONDS), tls);
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
    /** The value as given (trimmed), or null when absent or blank. */
    String raw(Setting s) {
      Object v = c.getValue(s.name());
      if (v == null) {
        return null;
      }
      String text = String.valueOf(v).trim();
      return text.isEmpty() ? null : text;
    }

    String string(Setting s) {
      String v = raw(s);
      return v != null ? v : s.defaultValue();
    }

    long number(Setting s) {
      String v = raw(s);
      if (v == null) {
        return s.defaultNumber();
      }
      try {
        long n = Long.parseLong(v);
        if (n < s.min() || n > s.max()) {
          errors.add(s.name() + ": must be between " + s.min() + " and " + s.max());
        }
        return n;
      } catch (NumberFormatException e) {
        errors.add(s.name() + ": must be a whole number");
        return s.defaultNumber();
      }
    }

    int integer(Setting s) {
      return (int) number(s);
    }

    boolean bool(Setting s) {
      String v = string(s);
      if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
        errors.add(s.name() + ": must be true or false");
        return false;
      }
      return Boolean.parseBoolean(v);
    }

    double decimal(Setting s, double min, double max) {
      String v = string(s);
      try {
        double d = Double.parseDouble(v);
        if (!(d >= min && d <= max)) {
          errors.add(s.name() + ": must be between " + min + " and " + max);
        }
        return d;
      } catch (NumberFormatException e) {
        errors.add(s.name() + ": must be a number");
        return Double.parseDouble(s.defaultValue());
      }
    }

    byte[] key32(Setting s, boolean required) {
      String v = raw(s);
      if (v == null) {
        if (required) {
          errors.add(s.name() + ": required, base64 of 32 random bytes (e.g. `openssl rand -base64 32`)");
        }
        return null;
      }
      byte[] k = decode32(v);
      if (k == null) {
        errors.add(s.name() + ": must be base64 of exactly 32 bytes");
      }
      return k;
    }
  }
}
