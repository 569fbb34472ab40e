package io.kychub.providers.p100;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.KycStatus;
import io.kychub.model.RawWebhook;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.MalformedWebhookException;
import io.kychub.providers.ParsedWebhook;
import io.kychub.providers.ProviderAdapter;
import io.kychub.providers.auth.AuthDefaults;
import io.kychub.providers.support.JsonFields;
import io.kychub.providers.support.ReasonClassifier;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * P100's KYC verification status webhook: the user's lasting {@code verificationStatus} plus the
 * optional {@code attemptStatus} of the current attempt. P100 sends no timestamp.
 */
public final class P100Adapter implements ProviderAdapter {

  public static final String NAME = "p100";

  private static final WebhookAuthConfig DEFAULT_AUTH = AuthDefaults.token("Authorization", "Bearer ");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WebhookAuthConfig defaultAuth() {
    return DEFAULT_AUTH;
  }

  @Override
  public ParsedWebhook parse(RawWebhook webhook) throws MalformedWebhookException {
    JsonObject root = JsonFields.parseObject(webhook.body(), NAME);
    String verification = JsonFields.requireText(root, NAME, "verificationStatus", "verificationStatus");
    String attempt = JsonFields.text(root, "attemptStatus");
    String eventType = attempt == null ? verification : verification + "/" + attempt;
    KycStatus status = status(verification.toUpperCase(Locale.ROOT), attempt == null ? null : attempt.toUpperCase(Locale.ROOT));
    if (status == null) {
      return new ParsedWebhook(eventType, null, List.of());
    }
    String userId = JsonFields.requireText(root, NAME, "externalUserId", "externalUserId");
    Reason reason = status == KycStatus.REJECTED
        ? ReasonClassifier.reason(JsonFields.text(root, "rejectionReason"), ReasonCode.OTHER)
        : null;
    return new ParsedWebhook(eventType, null, List.of(CanonicalUpdate.forCustomer(userId, status, reason, null)));
  }

  /** The canonical status, or null for a combination P100 may add later (ignored). */
  private static KycStatus status(String verification, String attempt) {
    return switch (verification) {
      case "VERIFIED" -> KycStatus.VERIFIED;
      case "EXPIRED" -> KycStatus.EXPIRED;
      case "NOT_VERIFIED" -> attempt == null ? KycStatus.PENDING : switch (attempt) {
        case "PENDING" -> KycStatus.PENDING;
        case "VERIFICATION" -> KycStatus.PROCESSING;
        case "REJECTED_BY_PROVIDER" -> KycStatus.REJECTED;
        case "SUCCESSFUL" -> KycStatus.VERIFIED;
        default -> null;
      };
      default -> null;
    };
  }
}
