package io.kychub.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HubConfigTest {

  private static JsonObject minimal() {
    return new JsonObject()
        .put("KYC_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]))
        .put("KYC_JWT_HS256_SECRET", "a-test-secret-of-at-least-thirty-two-bytes");
  }

  @Test
  void theIngestLimitsHaveDefaultsAndCanBeSet() {
    HubConfig defaults = HubConfig.from(minimal());
    assertThat(defaults.ingest().inboxInFlight()).isEqualTo(2);
    assertThat(defaults.ingest().dispatchInFlight()).isEqualTo(256);
    assertThat(defaults.ingest().dispatchQueue()).isEqualTo(50_000);
    assertThat(defaults.reconcile().inFlight()).isEqualTo(2);
    assertThat(defaults.reconcile().lingerMillis()).isEqualTo(3);

    HubConfig set = HubConfig.from(minimal().put("KYC_INBOX_IN_FLIGHT", "3").put("KYC_DISPATCH_IN_FLIGHT", 64)
        .put("KYC_DISPATCH_QUEUE", "0").put("KYC_RECONCILE_IN_FLIGHT", "8").put("KYC_RECONCILE_LINGER_MILLIS", "0"));
    assertThat(set.ingest().inboxInFlight()).isEqualTo(3);
    assertThat(set.ingest().dispatchInFlight()).isEqualTo(64);
    assertThat(set.ingest().dispatchQueue()).isZero();
    assertThat(set.reconcile().inFlight()).isEqualTo(8);
    assertThat(set.reconcile().lingerMillis()).isZero();
  }

  @Test
  void ingestLimitsOutOfRangeAreRefusedByName() {
    assertThatThrownBy(() -> HubConfig.from(minimal().put("KYC_DISPATCH_IN_FLIGHT", "20000")
            .put("KYC_INBOX_IN_FLIGHT", "0").put("KYC_DISPATCH_QUEUE", "lots").put("KYC_RECONCILE_IN_FLIGHT", "0")
            .put("KYC_RECONCILE_LINGER_MILLIS", "5000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KYC_DISPATCH_IN_FLIGHT: must be between 1 and 10000")
        .hasMessageContaining("KYC_INBOX_IN_FLIGHT: must be between 1 and 16")
        .hasMessageContaining("KYC_RECONCILE_LINGER_MILLIS: must be between 0 and 1000")
        .hasMessageContaining("KYC_DISPATCH_QUEUE: must be a whole number")
        .hasMessageContaining("KYC_RECONCILE_IN_FLIGHT: must be between 1 and 256");
  }

  @Test
  void aPlaceholderOrShortAdminSecretIsRefusedByName() {
    JsonObject placeholder = minimal().put("KYC_JWT_HS256_SECRET", "CHANGE-ME-at-least-32-characters-long");
    assertThatThrownBy(() -> HubConfig.from(placeholder)).hasMessageContaining("KYC_JWT_HS256_SECRET: is still a template's placeholder");
    JsonObject lower = minimal().put("KYC_JWT_HS256_SECRET", "change-me-and-this-is-long-enough-0123456789");
    assertThatThrownBy(() -> HubConfig.from(lower)).hasMessageContaining("KYC_JWT_HS256_SECRET");
    assertThatThrownBy(() -> HubConfig.from(minimal().put("KYC_JWT_HS256_SECRET", "thirty-one-bytes-long-0123456789".substring(1))))
        .hasMessageContaining("KYC_JWT_HS256_SECRET: must be at least 32 bytes");
    assertThat(HubConfig.from(minimal().put("KYC_JWT_HS256_SECRET", "a".repeat(32))).jwt().hs256Secret()).hasSize(32);
  }

  @Test
  void aJwksUrlMustBeHttpsExceptOnLoopback() {
    JsonObject http = jwks("http://login.example.com/jwks");
    assertThatThrownBy(() -> HubConfig.from(http)).hasMessageContaining("KYC_JWT_JWKS_URL: must be an https URL");
    assertThatThrownBy(() -> HubConfig.from(jwks("http://10.0.0.5/jwks"))).hasMessageContaining("KYC_JWT_JWKS_URL");
    assertThat(HubConfig.from(jwks("https://login.example.com/jwks")).jwt().jwksUrl()).startsWith("https://");
    assertThat(HubConfig.from(jwks("http://127.0.0.1:9000/jwks")).jwt().jwksUrl()).startsWith("http://127");
    assertThat(HubConfig.from(jwks("http://localhost:9000/jwks")).jwt().jwksUrl()).startsWith("http://localhost");
    assertThat(HubConfig.from(jwks("http://[::1]:9000/jwks")).jwt().jwksUrl()).contains("[::1]");
  }

  @Test
  void theHostileTrafficLimitsHaveTheirDefaults() {
    HubConfig c = HubConfig.from(minimal());
    assertThat(c.limits()).isEqualTo(new HubConfig.Limits(5000, 50, 64L * 1024 * 1024, 20_000, 60, 10_000));
    assertThat(c.stream().maxPerClientSecret()).isEqualTo(3);
    assertThat(c.stream().maxPerApiKey()).isEqualTo(500);
    assertThat(c.stream().maxPerTenant()).isEqualTo(20_000);
    assertThat(c.cluster().tlsOrNull()).isNull();
  }

  @Test
  void heartbeatsMustComeBeforeTheIdleTimeout() {
    assertThatThrownBy(() -> HubConfig.from(minimal().put("KYC_HTTP_IDLE_SECONDS", 10).put("KYC_SSE_HEARTBEAT_SECONDS", 10)))
        .hasMessageContaining("KYC_SSE_HEARTBEAT_SECONDS: must be below KYC_HTTP_IDLE_SECONDS");
  }

  @Test
  void clusterTlsNeedsAllThreeFiles() {
    assertThatThrownBy(() -> HubConfig.from(minimal().put("KYC_CLUSTER_TLS_CERT", "/a.pem")))
        .hasMessageContaining("KYC_CLUSTER_TLS_CERT, KYC_CLUSTER_TLS_KEY, KYC_CLUSTER_TLS_CA: set all three");
    HubConfig tls = HubConfig.from(minimal().put("KYC_CLUSTER_TLS_CERT", "/c.pem").put("KYC_CLUSTER_TLS_KEY", "/k.pem")
        .put("KYC_CLUSTER_TLS_CA", "/ca.pem"));
    assertThat(tls.cluster().tlsOrNull()).isEqualTo(new HubConfig.Tls("/c.pem", "/k.pem", "/ca.pem"));
  }

  private static JsonObject jwks(String url) {
    JsonObject c = minimal();
    c.remove("KYC_JWT_HS256_SECRET");
    return c.put("KYC_JWT_JWKS_URL", url);
  }
}
