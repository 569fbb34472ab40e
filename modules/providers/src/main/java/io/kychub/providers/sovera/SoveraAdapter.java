package io.kychub.providers.sovera;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.KycStatus;
import io.kychub.model.RawWebhook;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.WebhookAuthConfig;
import io.kychub.providers.MalformedWebhookException;
import io.kychub.providers.ParsedWebhook;
import io.kychub.providers.AbstractAdapter;
import io.kychub.providers.api.ProviderClient;
import io.kychub.providers.auth.AuthDefaults;
import io.kychub.providers.support.JsonFields;
import io.kychub.providers.support.ReasonClassifier;
import io.kychub.providers.support.Timestamps;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Sovera's KYC verification webhook: {@code metadata.userId}, a status and a human description. */
public final class SoveraAdapter extends AbstractAdapter {

  public static final String NAME = "sovera";

  private static final WebhookAuthConfig DEFAULT_AUTH = AuthDefaults.basic();

  public SoveraAdapter() {
    super(NAME, DEFAULT_AUTH);
  }

  // keys lowercase: Sovera's own spelling is camelCase ("reviewNeeded")
  private static final Map<String, KycStatus> STATUSES = Map.of(
      "verification_inputs_completed", KycStatus.PROCESSING,
      "verified", KycStatus.VERIFIED,
      "rejected", KycStatus.REJECTED,
      "reviewneeded", KycStatus.UNDER_REVIEW);

  /** No HTTP: Sovera's link comes from the tenant's settings and it has no status API. */
  @Override
  public ProviderClient client(WebClient webClient) {
    return new SoveraClient();
  }

  @Override
  public ParsedWebhook parse(RawWebhook webhook) throws MalformedWebhookException {
    JsonObject root = JsonFields.parseObject(webhook.body(), NAME);
    String status = JsonFields.requireText(root, NAME, "status", "status");
    KycStatus canonical = STATUSES.get(status.toLowerCase(Locale.ROOT));
    if (canonical == null) {
      return new ParsedWebhook(status, null, List.of());
    }
    String userId = JsonFields.requireText(JsonFields.object(root, "metadata"), NAME, "metadata.userId", "userId");
    String description = JsonFields.text(root, "description");
    Reason reason = canonical == KycStatus.REJECTED || canonical == KycStatus.UNDER_REVIEW
        ? ReasonClassifier.reason(description, ReasonCode.OTHER)
        : null;
    CanonicalUpdate update = CanonicalUpdate.forCustomer(
        userId, canonical, reason, Timestamps.parseLenient(JsonFields.text(root, "timeStamp", "timestamp")));
    return new ParsedWebhook(status, null, List.of(update));
  }
}
