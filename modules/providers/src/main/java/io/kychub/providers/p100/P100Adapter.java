package io.kychub.providers.p100;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.KycStatus;
import io.kychub.model.RawWebhook;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.MalformedWebhookException;
import io.kychub.providers.ParsedWebhook;
import io.kychub.providers.AbstractAdapter;
import io.kychub.providers.api.HttpCalls;
import io.kychub.providers.api.ProviderClient;
import io.kychub.providers.auth.AuthDefaults;
import io.kychub.providers.support.JsonFields;
import io.kychub.providers.support.ReasonClassifier;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Locale;

/**
 * P100's KYC verification status webhook: the user's lasting {@code verificationStatus} plus the
 * optional {@code attemptStatus} of the current attempt. P100 sends no timestamp.
 */
public final class P100Adapter extends AbstractAdapter {

  public static final String NAME = "p100";

  private static final WebhookAuthConfig DEFAULT_AUTH = AuthDefaults.token("Authorization", "Bearer ");

  public P100Adapter() {
    super(NAME, DEFAULT_AUTH);
  }

  @Override
  public ProviderClient client(WebClient webClient) {
    return new P100Client(new HttpCalls(webClient));
  }

  @Override
  public ParsedWebhook parse(RawWebhook webhook) throws MalformedWebhookException {
    JsonObject root = JsonFields.parseObject(webhook.body(), NAME);
    String verification = JsonFields.requireText(root, NAME, "verificationStatus", "verificationStatus");
    String attempt = JsonFields.text(root, "attemptStatus");
    String eventType = attempt == null ? verification : verification + "/" + attempt;
    if (status(verification, attempt) == null) {
      return new ParsedWebhook(eventType, null, List.of());
    }
    String userId = JsonFields.requireText(root, NAME, "externalUserId", "externalUserId");
    return new ParsedWebhook(eventType, null, List.of(update(userId, root)));
  }

  /**
   * The update a P100 status object ({@code verificationStatus}, {@code attemptStatus},
   * {@code rejectionReason}) means, or null when the hub ignores it. The webhook body and the
   * status API's answer share this shape, so {@link P100Client}'s poll reads it here too.
   */
  static CanonicalUpdate update(String userId, JsonObject status) {
    KycStatus canonical = status(JsonFields.text(status, "verificationStatus"), JsonFields.text(status, "attemptStatus"));
    if (canonical == null) {
      return null;
    }
    Reason reason = canonical == KycStatus.REJECTED
        ? ReasonClassifier.reason(JsonFields.text(status, "rejectionReason"), ReasonCode.OTHER)
        : null;
    return CanonicalUpdate.forCustomer(userId, canonical, reason, null);
  }

  /** The canonical status, or null for a combination P100 may add later (ignored). */
  private static KycStatus status(String verificationStatus, String attemptStatus) {
    if (verificationStatus == null) {
      return null;
    }
    String verification = verificationStatus.toUpperCase(Locale.ROOT);
    String attempt = attemptStatus == null ? null : attemptStatus.toUpperCase(Locale.ROOT);
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
