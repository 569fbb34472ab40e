package io.kychub.simulator;

import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import java.util.EnumMap;
import java.util.Map;

/**
 * A provider's words for a reason: the caller's detail when given, else a sentence the hub's
 * classifier reads back as the same code (Sovera's documented descriptions where it has one).
 */
final class ReasonTexts {

  private static final Map<ReasonCode, String> TEXTS = new EnumMap<>(Map.ofEntries(
      Map.entry(ReasonCode.DOCUMENT_MISMATCH, "Document doesn't match input data"),
      Map.entry(ReasonCode.DOCUMENT_EXPIRED, "The document uploaded is expired"),
      Map.entry(ReasonCode.DOCUMENT_ISSUE, "The document uploaded has issues"),
      Map.entry(ReasonCode.AML_HIT, "AML checks rejected"),
      Map.entry(ReasonCode.AML_REVIEW, "AML checks need to be reviewed"),
      Map.entry(ReasonCode.UNDERAGE, "The user is underage"),
      Map.entry(ReasonCode.FACE_NOT_FOUND, "No face found"),
      Map.entry(ReasonCode.VALIDATION_FAILED, "Validation Failed. User cannot be verified"),
      Map.entry(ReasonCode.COMPLIANCE_REVIEW, "Validation failed. Pending compliance review"),
      Map.entry(ReasonCode.PROVIDER_UNAVAILABLE, "Government validation system inoperative"),
      Map.entry(ReasonCode.ABANDONED, "Aborted by the user"),
      Map.entry(ReasonCode.OTHER, "Verification rejected")));

  private ReasonTexts() {}

  /** The text for {@code reason}, or {@code fallback} when there is no reason. */
  static String text(Reason reason, String fallback) {
    if (reason == null) {
      return fallback;
    }
    return reason.detail() != null ? reason.detail() : TEXTS.get(reason.code());
  }
}
