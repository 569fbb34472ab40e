package io.kychub.simulator;

import io.kychub.model.KycStatus;
import io.kychub.model.ReasonCode;
import io.kychub.providers.p100.P100Adapter;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * P100: {@code POST /v1/kyc {externalUserId}} (answers the verification link) and
 * {@code GET /v1/kyc/status/{externalUserId}}, both with {@code x-api-key}; the status object is
 * also the webhook body, sent with the tenant's static token in {@code Authorization}. P100 has no
 * "under review" and no timestamps.
 */
public final class P100Simulator extends ProviderSimulator {

  private static final Set<KycStatus> STATUSES =
      Set.of(KycStatus.PENDING, KycStatus.PROCESSING, KycStatus.VERIFIED, KycStatus.REJECTED, KycStatus.EXPIRED);

  /** P100's rejection codes where it has one; other reasons go as text. */
  private static final Map<ReasonCode, String> REJECTION_CODES = Map.of(
      ReasonCode.AML_HIT, "AML_SCREENING_HIT",
      ReasonCode.DOCUMENT_ISSUE, "BAD_IMAGE_QUALITY",
      ReasonCode.DOCUMENT_EXPIRED, "DOCUMENT_EXPIRED",
      ReasonCode.FACE_NOT_FOUND, "NO_FACE_FOUND",
      ReasonCode.UNDERAGE, "AGE_BELOW_MINIMUM");

  public P100Simulator(SimulatorConfig config) {
    super(new P100Adapter(), config);
  }

  @Override
  public Set<KycStatus> statuses() {
    return STATUSES;
  }

  @Override
  protected void apiRoutes(Router router) {
    router.post("/v1/kyc").handler(this::startKyc);
    router.get("/v1/kyc/status/:externalUserId").handler(this::status);
  }

  @Override
  protected JsonObject webhookBody(SimCustomer customer, Instant at, String deliveryId) {
    return statusObject(customer);
  }

  private void startKyc(RoutingContext ctx) {
    if (!config.apiKey().equals(ctx.request().getHeader("x-api-key"))) {
      unauthorized(ctx);
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    String userId = body == null ? null : body.getString("externalUserId");
    if (userId == null || userId.isBlank()) {
      error(ctx, 400, "bad_request", "externalUserId is required");
      return;
    }
    json(ctx, 201, new JsonObject().put("url", link(open(userId).customerId())));
  }

  private void status(RoutingContext ctx) {
    if (!config.apiKey().equals(ctx.request().getHeader("x-api-key"))) {
      unauthorized(ctx);
      return;
    }
    customer(ctx.pathParam("externalUserId")).ifPresentOrElse(
        c -> json(ctx, 200, statusObject(c)),
        () -> error(ctx, 404, "not_found", "no KYC for this user"));
  }

  private static JsonObject statusObject(SimCustomer customer) {
    JsonObject status = new JsonObject().put("externalUserId", customer.customerId());
    return switch (customer.status()) {
      case VERIFIED -> status.put("verificationStatus", "VERIFIED");
      case EXPIRED -> status.put("verificationStatus", "EXPIRED");
      case PROCESSING -> status.put("verificationStatus", "NOT_VERIFIED").put("attemptStatus", "VERIFICATION");
      case REJECTED -> status.put("verificationStatus", "NOT_VERIFIED").put("attemptStatus", "REJECTED_BY_PROVIDER")
          .put("rejectionReason", rejectionReason(customer));
      default -> status.put("verificationStatus", "NOT_VERIFIED").put("attemptStatus", "PENDING");
    };
  }

  private static String rejectionReason(SimCustomer customer) {
    String code = customer.reason() == null ? null : REJECTION_CODES.get(customer.reason().code());
    return code != null ? code : ReasonTexts.text(customer.reason(), "VERIFICATION_FAILED");
  }
}
