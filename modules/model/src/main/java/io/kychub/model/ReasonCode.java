package io.kychub.model;

/** Normalised reason codes; the provider's own words go in {@link Reason#detail()}. */
public enum ReasonCode {
  DOCUMENT_MISMATCH,
  DOCUMENT_EXPIRED,
  DOCUMENT_ISSUE,
  AML_HIT,
  AML_REVIEW,
  UNDERAGE,
  FACE_NOT_FOUND,
  VALIDATION_FAILED,
  COMPLIANCE_REVIEW,
  PROVIDER_UNAVAILABLE,
  ABANDONED,
  OTHER
}
