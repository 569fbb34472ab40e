package io.kychub.model;

/**
 * What the subject id of a canonical update names: the operator's customer id directly, or a
 * provider-side reference (Ondato's IDV id) that the hub maps to a customer through the
 * verification it created.
 */
public enum SubjectKind {
  CUSTOMER, PROVIDER_REFERENCE
}
