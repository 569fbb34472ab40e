package io.kychub.model;

/**
 * What a customer's current state must be for a status change to apply. A provider's update goes
 * through the ordering rules; a change the hub makes itself states its precondition, and the
 * decision path refuses it (a conflict) when the state has moved on.
 */
public enum Guard {
  /** A provider's update: the ordering rules decide (duplicates, stale, late progress, manual decisions). */
  PROVIDER,
  /** Always: a verification start, or a reuse granted at start. */
  ANY,
  /** A manual decision: only while the customer is under review. */
  UNDER_REVIEW,
  /** A reuse completing a waiting customer: only while pending. */
  PENDING,
  /** TTL expiry: only while pending on the expected verification. */
  PENDING_VERIFICATION,
  /** Revocation: only while verified by reuse on the expected (reused) verification. */
  CURRENT_REUSE;

  public String wire() {
    return name();
  }
}
