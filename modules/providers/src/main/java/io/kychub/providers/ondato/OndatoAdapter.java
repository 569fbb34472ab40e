package io.kychub.providers.ondato;

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
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Ondato's webhook envelope {@code {id, applicationId, createdUtc, type, payload}}, where
 * {@code type} is {@code <Resource>.<Event>} and the payload is the resource as its GET endpoint
 * returns it. Ondato is inconsistent about casing ({@code Payload}/{@code payload}), so every
 * field is matched case-insensitively, and it delivers out of order and more than once, so the
 * envelope id is the idempotency key.
 */
public final class OndatoAdapter extends AbstractAdapter {

  public static final String NAME = "ondato";

  private static final WebhookAuthConfig DEFAULT_AUTH = AuthDefaults.basic();

  private final OndatoTokens tokens = new OndatoTokens(Clock.systemUTC());

  public OndatoAdapter() {
    super(NAME, DEFAULT_AUTH);
  }

  private enum Resource { IDV, KYC_IDENTIFICATION }

  private record Change(KycStatus status, Reason reason) {}

  /** Clients made from this adapter share its access-token cache. */
  @Override
  public ProviderClient client(WebClient webClient) {
    return new OndatoClient(new HttpCalls(webClient), tokens);
  }

  @Override
  public ParsedWebhook parse(RawWebhook webhook) throws MalformedWebhookException {
    JsonObject envelope = JsonFields.parseObject(webhook.body(), NAME);
    String type = JsonFields.requireText(envelope, NAME, "type", "type");
    String deliveryId = JsonFields.text(envelope, "id");
    String[] parts = type.split("\\.");
    Resource resource = parts.length == 2 ? resource(parts[0]) : null;
    if (resource == null) {
      return new ParsedWebhook(type, deliveryId, List.of());
    }
    JsonObject payload = JsonFields.object(envelope, "payload");
    if (payload == null) {
      throw new MalformedWebhookException(NAME + " " + type + " webhook lacks payload");
    }
    Change change = change(resource, parts[1].toLowerCase(Locale.ROOT), payload);
    if (change == null) {
      return new ParsedWebhook(type, deliveryId, List.of());
    }
    Instant occurredAt = Timestamps.firstReadable(
        JsonFields.text(envelope, "createdUtc"),
        JsonFields.text(payload, "modifiedUtc"),
        JsonFields.text(payload, "createdUtc"));
    CanonicalUpdate update = new CanonicalUpdate(
        subject(resource, payload, type), subjectKind(payload), change.status(), DecidedBy.PROVIDER,
        change.reason(), occurredAt);
    return new ParsedWebhook(type, deliveryId, List.of(update));
  }

  private static Resource resource(String name) {
    if (name.equalsIgnoreCase("IdentityVerification") || name.equalsIgnoreCase("Idv")) {
      return Resource.IDV;
    }
    return name.equalsIgnoreCase("KycIdentification") ? Resource.KYC_IDENTIFICATION : null;
  }

  /** The change an event means, or null when the hub ignores it. */
  private static Change change(Resource resource, String event, JsonObject payload) {
    return switch (event) {
      case "consented" -> new Change(KycStatus.PENDING, null);
      case "statuschanged", "updated" -> byStatus(payload);
      case "created", "processed" -> resource == Resource.KYC_IDENTIFICATION ? new Change(KycStatus.PROCESSING, null) : null;
      case "approved" -> new Change(KycStatus.VERIFIED, null);
      case "rejected" -> rejected(payload);
      default -> null;
    };
  }

  /**
   * The update an identity verification's {@code status} (as {@code GET /v1/identity-verifications/{id}}
   * returns it) means for the customer, or null when the hub ignores it. Used by
   * {@link OndatoClient}'s poll.
   */
  static CanonicalUpdate statusUpdate(String customerId, JsonObject idv) {
    Change change = byStatus(idv);
    if (change == null) {
      return null;
    }
    Instant at = Timestamps.firstReadable(JsonFields.text(idv, "modifiedUtc"), JsonFields.text(idv, "createdUtc"));
    return CanonicalUpdate.forCustomer(customerId, change.status(), change.reason(), at);
  }

  private static Change byStatus(JsonObject payload) {
    String status = JsonFields.text(payload, "status");
    if (status == null) {
      return null;
    }
    String detail = JsonFields.text(payload, "statusReason");
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "inprogress" -> new Change(KycStatus.PENDING, null);
      case "completed", "processed", "processing" -> new Change(KycStatus.PROCESSING, null);
      case "approved" -> new Change(KycStatus.VERIFIED, null);
      case "rejected" -> rejected(payload);
      case "expired" -> new Change(KycStatus.EXPIRED, Reason.of(ReasonCode.OTHER, detail == null ? status : detail));
      case "aborted" -> new Change(KycStatus.EXPIRED, Reason.of(ReasonCode.ABANDONED, detail == null ? status : detail));
      default -> null;
    };
  }

  private static Change rejected(JsonObject payload) {
    return new Change(KycStatus.REJECTED, ReasonClassifier.reason(JsonFields.text(payload, "statusReason"), ReasonCode.OTHER));
  }

  private static SubjectKind subjectKind(JsonObject payload) {
    return JsonFields.text(payload, "externalReferenceId") != null ? SubjectKind.CUSTOMER : SubjectKind.PROVIDER_REFERENCE;
  }

  /**
   * The hub's own reference when Ondato echoes it, else the IDV id the hub stored when it created
   * the verification. KYC identifications carry the IDV id as {@code identityVerificationId}.
   */
  private static String subject(Resource resource, JsonObject payload, String type) throws MalformedWebhookException {
    String reference = JsonFields.text(payload, "externalReferenceId");
    if (reference != null) {
      return reference;
    }
    return resource == Resource.IDV
        ? JsonFields.requireText(payload, NAME, "payload.id in " + type, "id")
        : JsonFields.requireText(payload, NAME, "payload.identityVerificationId in " + type, "identityVerificationId");
  }
}
