package io.kychub.simulator;

import io.kychub.model.KycStatus;
import io.kychub.model.ProviderApiSettings;
import io.kychub.providers.sovera.SoveraAdapter;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Sovera: no public API; the customer's {@code kycURL} is a page of this simulator
 * ({@code /verify/{customerId}}). Webhooks carry {@code metadata.userId}, a status and Sovera's
 * description, with HTTP Basic authentication. Sovera reports no "pending" and no "expired".
 */
public final class SoveraSimulator extends ProviderSimulator {

  private static final Map<KycStatus, String> NATIVE = Map.of(
      KycStatus.PROCESSING, "verification_inputs_completed",
      KycStatus.VERIFIED, "verified",
      KycStatus.REJECTED, "rejected",
      KycStatus.UNDER_REVIEW, "reviewNeeded");

  public SoveraSimulator(SimulatorConfig config) {
    super(new SoveraAdapter(), config);
  }

  @Override
  public Set<KycStatus> statuses() {
    return NATIVE.keySet();
  }

  /** Only the link: {@code kycUrl} with the {@code {customerId}} placeholder. */
  @Override
  public ProviderApiSettings apiSettings() {
    return new ProviderApiSettings(baseUrl(), null, null, null, null, baseUrl() + "/verify/{customerId}");
  }

  @Override
  protected void apiRoutes(Router router) {
    // Sovera's onboarding API is not public; the hub only uses the configured kycUrl
  }

  @Override
  protected JsonObject webhookBody(SimCustomer customer, Instant at, String deliveryId) {
    return new JsonObject()
        .put("metadata", new JsonObject().put("userId", customer.customerId()))
        .put("status", NATIVE.get(customer.status()))
        .put("description", description(customer))
        .put("fullName", "Simulated Customer")
        .put("age", "30")
        .put("timeStamp", at.toString());
  }

  private static String description(SimCustomer customer) {
    return switch (customer.status()) {
      case PROCESSING -> "Ongoing verification";
      case VERIFIED -> "Verification signed";
      case UNDER_REVIEW -> ReasonTexts.text(customer.reason(), "Validation failed. Pending compliance review");
      default -> ReasonTexts.text(customer.reason(), "Validation Failed. User cannot be verified");
    };
  }
}
