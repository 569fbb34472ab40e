package io.kychub.providers.ripio;

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
import io.kychub.providers.support.Timestamps;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Ripio's {@code KYC.*} events: {@code eventType}, {@code issueDatetime} and a submission payload. */
public final class RipioAdapter extends AbstractAdapter {

  public static final String NAME = "ripio";

  private static final WebhookAuthConfig DEFAULT_AUTH =
      AuthDefaults.hmac("Http-X-Wh-Signature-256,X-Wh-Signature-256", "sha256", "hex", "sha256=");

  public RipioAdapter() {
    super(NAME, DEFAULT_AUTH);
  }

  private static final String FAILED = "KYC.FAILED";

  private static final Map<String, KycStatus> EVENTS = Map.of(
      "KYC.INCOMPLETE_USER_DATA", KycStatus.PENDING,
      "KYC.IN_REVIEW", KycStatus.PROCESSING,
      "KYC.COMPLETED", KycStatus.VERIFIED,
      FAILED, KycStatus.REJECTED);

  @Override
  public ProviderClient client(WebClient webClient) {
    return new RipioClient(new HttpCalls(webClient));
  }

  @Override
  public ParsedWebhook parse(RawWebhook webhook) throws MalformedWebhookException {
    JsonObject root = JsonFields.parseObject(webhook.body(), NAME);
    String eventType = JsonFields.requireText(root, NAME, "eventType", "eventType");
    String issued = JsonFields.text(root, "issueDatetime");
    JsonObject payload = JsonFields.object(root, "payload");
    String key = idempotencyKey(JsonFields.text(payload, "submissionId"), eventType, issued);
    KycStatus status = EVENTS.get(eventType);
    if (status == null) {
      // other Ripio events (and KYC events added later) share this endpoint; nothing to apply
      return new ParsedWebhook(eventType, key, List.of());
    }
    String customerId = JsonFields.requireText(payload, NAME, "payload.customerId", "customerId");
    return new ParsedWebhook(eventType, key, List.of(update(customerId, eventType, root, payload, Timestamps.parseLenient(issued))));
  }

  /**
   * The update a {@code KYC.*} event type means for a customer, the failure reason read from
   * {@code payload} then {@code root}; null for a type the hub ignores. Shared with
   * {@link RipioClient}'s poll, which reads a submission's status as {@code KYC.<status>}.
   */
  static CanonicalUpdate update(String customerId, String eventType, JsonObject root, JsonObject payload, Instant at) {
    KycStatus status = EVENTS.get(eventType);
    if (status == null) {
      return null;
    }
    Reason reason = status == KycStatus.REJECTED ? failureReason(root, payload) : null;
    return CanonicalUpdate.forCustomer(customerId, status, reason, at);
  }

  /** {@code submissionId|eventType|issueDatetime}; null (body hash) when a part is missing. */
  private static String idempotencyKey(String submissionId, String eventType, String issued) {
    return submissionId == null || issued == null ? null : submissionId + "|" + eventType + "|" + issued;
  }

  /** Ripio documents no reason field on KYC.FAILED; read one if it ever sends it. */
  private static Reason failureReason(JsonObject root, JsonObject payload) {
    String[] fields = {"reason", "rejectionReason", "failureReason", "description"};
    String detail = JsonFields.text(payload, fields);
    if (detail == null) {
      detail = JsonFields.text(root, fields);
    }
    return detail == null
        ? Reason.of(ReasonCode.VALIDATION_FAILED, FAILED)
        : ReasonClassifier.reason(detail, ReasonCode.VALIDATION_FAILED);
  }
}
