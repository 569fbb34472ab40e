package io.kychub.model;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.UUID;

/**
 * One change of a customer's status, as it enters the decision path: what it says ({@code
 * update}), what the current state must be ({@code guard}), and what else it does.
 *
 * @param expectedVerificationOrNull for {@link Guard#PENDING_VERIFICATION} and {@link Guard#CURRENT_REUSE}:
 *     the verification the customer must currently be on
 * @param openOrNull a verification this change opens (a start, a reuse); null: the customer's current one
 * @param forward a manual decision to be forwarded to the provider (a follow-up recorded with it)
 */
public record StatusChange(CanonicalUpdate update, Guard guard, UUID expectedVerificationOrNull, NewVerification openOrNull,
    boolean forward) {

  public StatusChange {
    Objects.requireNonNull(update, "update");
    Objects.requireNonNull(guard, "guard");
  }

  /** A provider's update, ordered by the rules. */
  public static StatusChange fromProvider(CanonicalUpdate update) {
    return new StatusChange(update, Guard.PROVIDER, null, null, false);
  }

  /** A change the hub makes itself: it must apply, or the decision path fails with a conflict. */
  public boolean fromHub() {
    return guard != Guard.PROVIDER;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("update", update.toJson()).put("guard", guard.wire());
    if (expectedVerificationOrNull != null) {
      json.put("expectedVerification", expectedVerificationOrNull.toString());
    }
    if (openOrNull != null) {
      json.put("open", openOrNull.toJson());
    }
    return forward ? json.put("forward", true) : json;
  }

  public static StatusChange fromJson(JsonObject json) {
    String expected = json.getString("expectedVerification");
    return new StatusChange(CanonicalUpdate.fromJson(json.getJsonObject("update")), Guard.valueOf(json.getString("guard")),
        expected == null ? null : UUID.fromString(expected), NewVerification.fromJson(json.getJsonObject("open")),
        json.getBoolean("forward", false));
  }
}
