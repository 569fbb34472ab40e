package io.kychub.simulator;

import io.kychub.model.DecidedBy;
import io.kychub.model.KycStatus;
import io.kychub.providers.vivamo.VivamoAdapter;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Vivamo: {@code GET /v1/customers/{id}/kyc-info} (creates the customer's pending verification on
 * first sight) and {@code POST /v1/customers/{id}/kyc-verify/proof_of_id {verify}}, both with
 * {@code Authorization: Bearer <apiKey>}; {@code kyc_verification} webhooks signed with the
 * tenant's HMAC-SHA512 key. Vivamo has no "processing" status.
 */
public final class VivamoSimulator extends ProviderSimulator {

  private static final Set<KycStatus> STATUSES =
      Set.of(KycStatus.PENDING, KycStatus.UNDER_REVIEW, KycStatus.VERIFIED, KycStatus.REJECTED, KycStatus.EXPIRED);

  private final AtomicLong customerNumbers = new AtomicLong(9000);
  private final ConcurrentMap<String, String> clientSecrets = new ConcurrentHashMap<>();

  public VivamoSimulator(SimulatorConfig config) {
    super(new VivamoAdapter(), config);
  }

  @Override
  public Set<KycStatus> statuses() {
    return STATUSES;
  }

  @Override
  protected String newReference() {
    return Long.toString(customerNumbers.incrementAndGet());
  }

  @Override
  protected void apiRoutes(Router router) {
    router.get("/v1/customers/:id/kyc-info").handler(this::kycInfo);
    router.post("/v1/customers/:id/kyc-verify/proof_of_id").handler(this::verifyManually);
  }

  @Override
  protected JsonObject webhookBody(SimCustomer customer, Instant at, String deliveryId) {
    return new JsonObject()
        .put("event", "kyc_verification")
        .put("data", new JsonObject()
            .put("customerId", customer.reference())
            .put("externalCustomerId", customer.customerId())
            .put("status", "active")
            .put("kycVerification", verification(customer).put("updatedAt", at.toString())));
  }

  private void kycInfo(RoutingContext ctx) {
    if (!hasBearer(ctx, config.apiKey())) {
      unauthorized(ctx);
      return;
    }
    SimCustomer customer = open(ctx.pathParam("id"));
    String link = link(customer.customerId());
    JsonObject verification = verification(customer)
        .put("updatedAt", customer.updatedAt().toString())
        .put("data", new JsonObject()
            .put("url", link)
            .put("passportVerificationUrl", link + "?document=passport")
            .put("driversLicenseVerificationUrl", link + "?document=drivers_license"));
    json(ctx, 200, new JsonObject()
        .put("customerId", customer.reference())
        .put("externalCustomerId", customer.customerId())
        .put("status", nativeStatus(customer))
        .put("clientSecretKey", clientSecrets.computeIfAbsent(customer.customerId(), id -> "cs_" + UUID.randomUUID()))
        .put("kycVerification", verification));
  }

  /** Vivamo refuses a manual decision for a customer who has not attempted verification. */
  private void verifyManually(RoutingContext ctx) {
    if (!hasBearer(ctx, config.apiKey())) {
      unauthorized(ctx);
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    if (body == null || !(body.getValue("verify") instanceof Boolean verify)) {
      error(ctx, 400, "bad_request", "verify must be true or false");
      return;
    }
    SimCustomer customer = customer(ctx.pathParam("id")).orElse(null);
    if (customer == null) {
      error(ctx, 404, "not_found", "no such customer");
      return;
    }
    if (customer.status() == KycStatus.PENDING) {
      error(ctx, 409, "not_attempted", "the customer has not attempted verification");
      return;
    }
    SimCustomer decided = record(customer.customerId(), verify ? KycStatus.VERIFIED : KycStatus.REJECTED,
        DecidedBy.OPERATOR, null, Instant.now());
    json(ctx, 200, new JsonObject().put("status", nativeStatus(decided)));
  }

  private static JsonObject verification(SimCustomer customer) {
    JsonObject verification = new JsonObject().put("type", "proof_of_id").put("status", nativeStatus(customer));
    String reason = switch (customer.status()) {
      case REJECTED -> ReasonTexts.text(customer.reason(), "Verification rejected");
      case UNDER_REVIEW -> ReasonTexts.text(customer.reason(), null);
      default -> null;
    };
    return reason == null ? verification : verification.put("reason", reason);
  }

  private static String nativeStatus(SimCustomer customer) {
    if (customer.decidedBy() == DecidedBy.OPERATOR) {
      return customer.status() == KycStatus.VERIFIED ? "verified_manually" : "rejected_manually";
    }
    return customer.status().wire();
  }
}
