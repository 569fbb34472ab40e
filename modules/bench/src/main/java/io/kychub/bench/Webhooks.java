package io.kychub.bench;

import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.ProviderRegistry;
import io.kychub.providers.auth.WebhookSigner;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signed webhooks as the five providers send them, spread evenly over tenants and providers,
 * each about a customer of its own so that every one is a new delivery that changes a state (and
 * so produces exactly one event). Built before a phase starts, so signing costs nothing while
 * the clock runs.
 */
final class Webhooks {

  static final List<String> PROVIDERS = List.copyOf(ProviderRegistry.standard().names());
  static final String USERNAME = "bench";

  /** One request ready to send: path, header name/value pairs, body, and the customer it is about. */
  record Webhook(String path, String[] headers, Buffer body, String customerId) {}

  /** A tenant's webhook secret (the same for its five providers) and its operator API key. */
  record Tenant(String id, String secret, String apiKey) {}

  private static final Instant BASE_TIME = Instant.parse("2026-01-01T00:00:00Z");

  private final List<Tenant> tenants;
  private final Map<String, WebhookAuthConfig> signingAuth = new HashMap<>();

  Webhooks(List<Tenant> tenants) {
    this.tenants = List.copyOf(tenants);
    ProviderRegistry registry = ProviderRegistry.standard();
    for (Tenant tenant : tenants) {
      for (String provider : PROVIDERS) {
        signingAuth.put(tenant.id() + '/' + provider, effectiveAuth(registry, tenant.secret(), provider));
      }
    }
  }

  /** The tenant's credential with the provider's defaults applied, as the hub applies them. */
  static WebhookAuthConfig effectiveAuth(ProviderRegistry registry, String secret, String provider) {
    return WebhookAuthConfig.fromJson(credential(secret).getJsonObject("webhookAuth"))
        .withDefaults(registry.find(provider).orElseThrow().defaultAuth());
  }

  /** The credential a tenant is given for every provider: the provider's default scheme, one secret. */
  static JsonObject credential(String secret) {
    return new JsonObject().put("enabled", true).put("webhookAuth",
        new JsonObject().put("secrets", new JsonArray().add(secret)).put("username", USERNAME));
  }

  /**
   * {@code count} webhooks whose customers are {@code prefix + index}; request {@code i} goes to
   * tenant {@code i % tenants} and provider {@code (i / tenants) % 5}.
   */
  List<Webhook> make(String prefix, int count) {
    List<Webhook> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Tenant tenant = tenants.get(i % tenants.size());
      String provider = PROVIDERS.get((i / tenants.size()) % PROVIDERS.size());
      list.add(one(tenant, provider, prefix + i, BASE_TIME.plusMillis(i)));
    }
    return list;
  }

  private Webhook one(Tenant tenant, String provider, String customerId, Instant at) {
    byte[] body = body(provider, customerId, at).getBytes(StandardCharsets.UTF_8);
    WebhookAuthConfig auth = signingAuth.get(tenant.id() + '/' + provider);
    Map<String, String> signed = WebhookSigner.sign(auth, tenant.secret(), body, Instant.now(), "msg_" + customerId);
    String[] headers = new String[signed.size() * 2 + 2];
    int h = 0;
    for (Map.Entry<String, String> e : signed.entrySet()) {
      headers[h++] = e.getKey();
      headers[h++] = e.getValue();
    }
    headers[h++] = "content-type";
    headers[h] = "application/json";
    return new Webhook("/webhooks/" + tenant.id() + "/" + provider, headers, Buffer.buffer(body), customerId);
  }

  /** A body in the provider's own format that takes a new customer to a definite status. */
  static String body(String provider, String customerId, Instant at) {
    String time = at.toString();
    JsonObject json = switch (provider) {
      case "vivamo" -> new JsonObject().put("event", "kyc_verification").put("externalCustomerId", customerId)
          .put("status", "verified").put("updatedAt", time);
      case "sovera" -> new JsonObject().put("metadata", new JsonObject().put("userId", customerId))
          .put("status", "rejected").put("description", "AML checks rejected").put("fullName", "Ada Lovelace")
          .put("age", "36").put("timeStamp", time);
      case "ripio" -> new JsonObject().put("eventType", "KYC.IN_REVIEW").put("issueDatetime", time)
          .put("payload", new JsonObject().put("submissionId", UUID.randomUUID().toString()).put("customerId", customerId)
              .put("createdAt", time).put("source", "API").put("metadata", new JsonObject()));
      case "p100" -> new JsonObject().put("externalUserId", customerId).put("verificationStatus", "NOT_VERIFIED")
          .put("attemptStatus", "PENDING");
      case "ondato" -> new JsonObject().put("id", UUID.randomUUID().toString()).put("applicationId", "bench")
          .put("createdUtc", time).put("type", "KycIdentification.Approved")
          .put("payload", new JsonObject().put("identityVerificationId", customerId).put("status", "Approved")
              .put("externalReferenceId", customerId));
      default -> throw new IllegalArgumentException("no webhook format for " + provider);
    };
    return json.encode();
  }
}
