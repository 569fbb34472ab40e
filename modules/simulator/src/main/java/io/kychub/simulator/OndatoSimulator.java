package io.kychub.simulator;

import io.kychub.model.KycStatus;
import io.kychub.model.ProviderApiSettings;
import io.kychub.model.ReasonCode;
import io.kychub.providers.ondato.OndatoAdapter;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ondato: {@code POST /connect/token} (client credentials), then with {@code Bearer <token>}
 * {@code POST /v1/identity-verifications} (an IDV per customer, whose id is the reference) and
 * {@code GET /v1/identity-verifications/{id}}. Webhooks are the Ondato envelope with HTTP Basic:
 * {@code IdentityVerification.StatusChanged} (with {@code externalReferenceId}, so the subject is
 * the customer) for pending, processing and expired, {@code KycIdentification.Approved/Rejected}
 * (which name only the IDV id) for the decisions.
 */
public final class OndatoSimulator extends ProviderSimulator {

  static final String APPLICATION_ID = "5b0f4c2e-0d6f-4d7e-9a51-000000000001";
  static final String SETUP_ID = "sim-setup";
  /** Where the simulator also serves tokens, as a separate identity server would ({@code tokenUrl}). */
  public static final String IDENTITY_PATH = "/identity";

  private static final Set<KycStatus> STATUSES =
      Set.of(KycStatus.PENDING, KycStatus.PROCESSING, KycStatus.VERIFIED, KycStatus.REJECTED, KycStatus.EXPIRED);

  private final ConcurrentMap<String, Instant> tokens = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> setups = new ConcurrentHashMap<>();
  private final AtomicInteger tokenCalls = new AtomicInteger();

  public OndatoSimulator(SimulatorConfig config) {
    super(new OndatoAdapter(), config);
  }

  @Override
  public Set<KycStatus> statuses() {
    return STATUSES;
  }

  /** Token and IDV API on this server; the white-label link is a page of this simulator. */
  @Override
  public ProviderApiSettings apiSettings() {
    return new ProviderApiSettings(baseUrl(), null, config.clientId(), config.clientSecret(), SETUP_ID,
        baseUrl() + "/verify/?id={id}");
  }

  /** Token requests received so far. */
  public int tokenCalls() {
    return tokenCalls.get();
  }

  /** Makes every token handed out so far invalid, as an Ondato key rotation would. */
  public void revokeTokens() {
    tokens.clear();
  }

  @Override
  protected String newReference() {
    return UUID.randomUUID().toString();
  }

  @Override
  protected void apiRoutes(Router router) {
    router.post("/connect/token").handler(this::token);
    // Real Ondato issues tokens from a separate identity host: this path stands in for it.
    router.post(IDENTITY_PATH + "/connect/token").handler(this::token);
    router.post("/v1/identity-verifications").handler(this::createIdv);
    router.get("/v1/identity-verifications/:id").handler(this::getIdv);
  }

  @Override
  protected JsonObject webhookBody(SimCustomer customer, Instant at, String deliveryId) {
    JsonObject envelope = new JsonObject()
        .put("id", deliveryId)
        .put("applicationId", APPLICATION_ID)
        .put("createdUtc", at.toString());
    return switch (customer.status()) {
      case VERIFIED, REJECTED -> envelope
          .put("type", customer.status() == KycStatus.VERIFIED ? "KycIdentification.Approved" : "KycIdentification.Rejected")
          .put("payload", identification(customer, at));
      default -> envelope.put("type", "IdentityVerification.StatusChanged").put("payload", idv(customer).put("modifiedUtc", at.toString()));
    };
  }

  private void token(RoutingContext ctx) {
    tokenCalls.incrementAndGet();
    var form = ctx.request().formAttributes();
    if (!"client_credentials".equals(form.get("grant_type"))) {
      error(ctx, 400, "unsupported_grant_type", "grant_type must be client_credentials");
      return;
    }
    if (!config.clientId().equals(form.get("client_id")) || !config.clientSecret().equals(form.get("client_secret"))) {
      error(ctx, 401, "invalid_client", "unknown client or wrong secret");
      return;
    }
    String token = "sim-token-" + UUID.randomUUID();
    tokens.put(token, Instant.now().plusSeconds(config.tokenLifetimeSeconds()));
    json(ctx, 200, new JsonObject()
        .put("access_token", token)
        .put("expires_in", config.tokenLifetimeSeconds())
        .put("token_type", "Bearer"));
  }

  private void createIdv(RoutingContext ctx) {
    if (!authorized(ctx)) {
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    String customerId = body == null ? null : body.getString("externalReferenceId");
    String setupId = body == null ? null : body.getString("setupId");
    if (customerId == null || setupId == null) {
      error(ctx, 400, "bad_request", "externalReferenceId and setupId are required");
      return;
    }
    SimCustomer customer = open(customerId);
    setups.put(customer.reference(), setupId);
    json(ctx, 201, new JsonObject().put("id", customer.reference()));
  }

  private void getIdv(RoutingContext ctx) {
    if (!authorized(ctx)) {
      return;
    }
    customerByReference(ctx.pathParam("id")).ifPresentOrElse(
        c -> json(ctx, 200, idv(c).put("modifiedUtc", c.updatedAt().toString())),
        () -> error(ctx, 404, "not_found", "no such identity verification"));
  }

  private boolean authorized(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
    Instant expires = token == null ? null : tokens.get(token);
    if (expires == null || !Instant.now().isBefore(expires)) {
      unauthorized(ctx);
      return false;
    }
    return true;
  }

  private JsonObject idv(SimCustomer customer) {
    JsonObject idv = new JsonObject()
        .put("id", customer.reference())
        .put("applicationId", APPLICATION_ID)
        .put("setupId", setups.getOrDefault(customer.reference(), SETUP_ID))
        .put("externalReferenceId", customer.customerId())
        .put("status", idvStatus(customer))
        .put("createdUtc", customer.createdAt().toString());
    String reason = customer.status() == KycStatus.REJECTED ? ReasonTexts.text(customer.reason(), "Verification rejected")
        : customer.status() == KycStatus.EXPIRED ? ReasonTexts.text(customer.reason(), null) : null;
    return reason == null ? idv : idv.put("statusReason", reason);
  }

  /** A KYC identification of the customer's IDV; its id is derived so repeated sends agree. */
  private static JsonObject identification(SimCustomer customer, Instant at) {
    JsonObject identification = new JsonObject()
        .put("id", UUID.nameUUIDFromBytes(("kyc:" + customer.reference()).getBytes()).toString())
        .put("applicationId", APPLICATION_ID)
        .put("createdUtc", customer.createdAt().toString())
        .put("modifiedUtc", at.toString())
        .put("type", "Document")
        .put("identityVerificationId", customer.reference())
        .put("status", customer.status() == KycStatus.VERIFIED ? "Approved" : "Rejected");
    return customer.status() == KycStatus.REJECTED
        ? identification.put("statusReason", ReasonTexts.text(customer.reason(), "Verification rejected"))
        : identification;
  }

  private static String idvStatus(SimCustomer customer) {
    return switch (customer.status()) {
      case PENDING -> "InProgress";
      case PROCESSING -> "Completed";
      case VERIFIED -> "Approved";
      case REJECTED -> "Rejected";
      case EXPIRED -> customer.reason() != null && customer.reason().code() == ReasonCode.ABANDONED ? "Aborted" : "Expired";
      case UNDER_REVIEW -> throw new IllegalArgumentException("ondato has no under_review status");
    };
  }
}
