package io.kychub.providers.vivamo;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.KycStatus;
import io.kychub.model.RawWebhook;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.SubjectKind;
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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Vivamo's {@code kyc_verification} webhook. Vivamo documents the statuses but not the full body,
 * so the adapter reads tolerant shapes: the fields at the top level, inside a {@code data}
 * envelope, or inside a nested {@code kycVerification} object (which wins for status and reason).
 */
public final class VivamoAdapter extends AbstractAdapter {

  public static final String NAME = "vivamo";

  private static final WebhookAuthConfig DEFAULT_AUTH = AuthDefaults.hmac("signature", "sha512", "hex", null);

  public VivamoAdapter() {
    super(NAME, DEFAULT_AUTH);
  }

  private static final Set<String> VERIFICATION_TYPES = Set.of("proof_of_id");

  private record Outcome(KycStatus status, DecidedBy decidedBy) {}

  private static final Map<String, Outcome> OUTCOMES = Map.of(
      "pending", new Outcome(KycStatus.PENDING, DecidedBy.PROVIDER),
      "verified", new Outcome(KycStatus.VERIFIED, DecidedBy.PROVIDER),
      "under_review", new Outcome(KycStatus.UNDER_REVIEW, DecidedBy.PROVIDER),
      "rejected", new Outcome(KycStatus.REJECTED, DecidedBy.PROVIDER),
      "expired", new Outcome(KycStatus.EXPIRED, DecidedBy.PROVIDER),
      "verified_manually", new Outcome(KycStatus.VERIFIED, DecidedBy.OPERATOR),
      "rejected_manually", new Outcome(KycStatus.REJECTED, DecidedBy.OPERATOR));

  @Override
  public ProviderClient client(WebClient webClient) {
    return new VivamoClient(new HttpCalls(webClient));
  }

  @Override
  public ParsedWebhook parse(RawWebhook webhook) throws MalformedWebhookException {
    JsonObject root = JsonFields.parseObject(webhook.body(), NAME);
    String event = eventName(root);
    if (event != null && !event.toLowerCase(Locale.ROOT).contains("kyc")) {
      return new ParsedWebhook(event, null, List.of());
    }
    List<JsonObject> scopes = scopes(root);
    String status = textIn(scopes, "status");
    if (status == null) {
      throw new MalformedWebhookException(NAME + " KYC webhook lacks a status");
    }
    if (!OUTCOMES.containsKey(status.toLowerCase(Locale.ROOT))) {
      return new ParsedWebhook(status, null, List.of());
    }
    String subject = textIn(scopes, "externalCustomerId");
    if (subject == null) {
      subject = textIn(scopes, "customerId");
    }
    if (subject == null) {
      throw new MalformedWebhookException(NAME + " KYC webhook lacks externalCustomerId/customerId");
    }
    return new ParsedWebhook(status, null, List.of(update(subject, scopes)));
  }

  /**
   * The update a Vivamo KYC object means (status, reason and time looked up through {@code scopes},
   * first found wins), or null for a status the hub ignores. Shared with {@link VivamoClient}'s poll.
   */
  static CanonicalUpdate update(String customerId, List<JsonObject> scopes) {
    String status = textIn(scopes, "status");
    Outcome outcome = status == null ? null : OUTCOMES.get(status.toLowerCase(Locale.ROOT));
    if (outcome == null) {
      return null;
    }
    Instant occurredAt = Timestamps.firstReadable(
        textIn(scopes, "updatedAt"), textIn(scopes, "timestamp"), textIn(scopes, "createdAt"));
    return new CanonicalUpdate(
        customerId, SubjectKind.CUSTOMER, outcome.status(), outcome.decidedBy(),
        reason(outcome.status(), textIn(scopes, "reason")), occurredAt);
  }

  /** Where to look for a field, in order: the verification object wins over the envelope. */
  static List<JsonObject> scopes(JsonObject root) {
    JsonObject data = JsonFields.object(root, "data");
    return Stream.of(
            JsonFields.object(data, "kycVerification"), JsonFields.object(root, "kycVerification"), data, root)
        .filter(Objects::nonNull)
        .toList();
  }

  /**
   * The event name from {@code event}/{@code eventType}, else {@code type} unless that holds a
   * verification type: a bare kycVerification object carries {@code "type": "proof_of_id"}.
   */
  private static String eventName(JsonObject root) {
    String event = JsonFields.text(root, "event", "eventType");
    if (event != null) {
      return event;
    }
    String type = JsonFields.text(root, "type");
    return type == null || VERIFICATION_TYPES.contains(type.toLowerCase(Locale.ROOT)) ? null : type;
  }

  private static Reason reason(KycStatus status, String text) {
    if (status == KycStatus.REJECTED) {
      return ReasonClassifier.reason(text, ReasonCode.OTHER);
    }
    return status == KycStatus.UNDER_REVIEW && text != null ? ReasonClassifier.reason(text, ReasonCode.OTHER) : null;
  }

  private static String textIn(List<JsonObject> scopes, String name) {
    for (JsonObject scope : scopes) {
      String value = JsonFields.text(scope, name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
