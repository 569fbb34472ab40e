package io.kychub.simulator;

import io.kychub.model.KycStatus;
import io.kychub.providers.ripio.RipioAdapter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Ripio: {@code POST /api/v1/customers/{id}/kyc/} (opens the customer's submission and answers
 * the widget link) and {@code GET /api/v1/customers/{id}/kycSubmissions/}, both with
 * {@code Authorization: Bearer <apiKey>}; {@code KYC.*} webhooks signed
 * {@code Http-X-Wh-Signature-256: sha256=<hex>}. Ripio sends no reason for a failure.
 */
public final class RipioSimulator extends ProviderSimulator {

  private static final Map<KycStatus, String> NATIVE = Map.of(
      KycStatus.PENDING, "INCOMPLETE_USER_DATA",
      KycStatus.PROCESSING, "IN_REVIEW",
      KycStatus.VERIFIED, "COMPLETED",
      KycStatus.REJECTED, "FAILED");

  public RipioSimulator(SimulatorConfig config) {
    super(new RipioAdapter(), config);
  }

  @Override
  public Set<KycStatus> statuses() {
    return NATIVE.keySet();
  }

  @Override
  protected String newReference() {
    return UUID.randomUUID().toString();
  }

  @Override
  protected void apiRoutes(Router router) {
    router.post("/api/v1/customers/:id/kyc/").handler(this::startKyc);
    router.get("/api/v1/customers/:id/kycSubmissions/").handler(this::submissions);
  }

  @Override
  protected JsonObject webhookBody(SimCustomer customer, Instant at, String deliveryId) {
    return new JsonObject()
        .put("eventType", "KYC." + NATIVE.get(customer.status()))
        .put("issueDatetime", at.toString())
        .put("payload", submission(customer).put("metadata", new JsonObject()));
  }

  private void startKyc(RoutingContext ctx) {
    if (!hasBearer(ctx, config.apiKey())) {
      unauthorized(ctx);
      return;
    }
    SimCustomer customer = open(ctx.pathParam("id"));
    json(ctx, 201, new JsonObject().put("providerUrl", link(customer.customerId())).put("submissionId", customer.reference()));
  }

  private void submissions(RoutingContext ctx) {
    if (!hasBearer(ctx, config.apiKey())) {
      unauthorized(ctx);
      return;
    }
    JsonArray list = new JsonArray();
    customer(ctx.pathParam("id")).ifPresent(c -> list.add(submission(c).put("status", NATIVE.get(c.status()))));
    json(ctx, 200, list);
  }

  private static JsonObject submission(SimCustomer customer) {
    return new JsonObject()
        .put("submissionId", customer.reference())
        .put("customerId", customer.customerId())
        .put("createdAt", customer.createdAt().toString())
        .put("source", "API");
  }
}
