package io.kychub.reconcile;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.Guard;
import io.kychub.model.KycState;
import io.kychub.model.KycStatus;
import io.kychub.model.StatusChange;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides whether one canonical update changes a customer's current state. Deliveries arrive
 * duplicated and out of order, so the rules never let a late message regress a decision:
 *
 * <ol>
 *   <li>No state yet: apply.
 *   <li>Same status, decider and reason as now: a duplicate, no change.
 *   <li>Both times known and the update is older than the current state: stale.
 *   <li>A manual decision stands until expiry or a newer (by provider time) explicit provider
 *       decision; an update without a provider time cannot prove it is newer.
 *   <li>A progress status (pending, processing, under_review) never replaces an outcome
 *       (verified, rejected, expired) unless its provider time proves it is a newer attempt.
 *   <li>Between progress statuses: with both times known the newer wins (ties go forward);
 *       without, only a later stage replaces an earlier one.
 *   <li>An outcome replaces any progress status, and another provider outcome (newer by time, or
 *       later by arrival when the provider sends no time).
 * </ol>
 */
public final class TransitionRules {

  /** What to do with an update. */
  public enum Verdict {
    APPLY, DUPLICATE, STALE, MANUAL_DECISION_STANDS, LATE_PROGRESS,
    /** A change of the hub's own whose guard the current state does not meet. */
    CONFLICT
  }

  private TransitionRules() {}

  /**
   * The verdict on any change of the decision path: a provider's update by the ordering rules
   * below, a change of the hub's own by its guard.
   */
  public static Verdict decide(KycState current, StatusChange change) {
    KycStatus status = current == null ? null : current.status();
    boolean onExpected = current != null && change.expectedVerificationOrNull() != null
        && change.expectedVerificationOrNull().toString().equals(current.verificationId());
    boolean met = switch (change.guard()) {
      case PROVIDER -> true;
      case ANY -> true;
      case UNDER_REVIEW -> status == KycStatus.UNDER_REVIEW;
      case PENDING -> status == KycStatus.PENDING;
      case PENDING_VERIFICATION -> status == KycStatus.PENDING && onExpected;
      case CURRENT_REUSE -> status == KycStatus.VERIFIED && current.decidedBy() == DecidedBy.REUSE && onExpected;
    };
    if (!met) {
      return Verdict.CONFLICT;
    }
    return change.guard() == Guard.PROVIDER ? decide(current, change.update()) : Verdict.APPLY;
  }

  public static Verdict decide(KycState current, CanonicalUpdate update) {
    if (current == null || current.status() == null) {
      return Verdict.APPLY;
    }
    if (current.status() == update.status()
        && current.decidedBy() == update.decidedBy()
        && Objects.equals(current.reason(), update.reason())) {
      return Verdict.DUPLICATE;
    }
    Integer order = compareTimes(update.occurredAt(), current.occurredAt());
    if (order != null && order < 0) {
      return Verdict.STALE;
    }
    boolean newer = order != null && order > 0;
    if (current.decidedBy() == DecidedBy.OPERATOR && current.status().isOutcome()) {
      boolean explicitDecision = update.status() == KycStatus.VERIFIED || update.status() == KycStatus.REJECTED;
      if (update.status() == KycStatus.EXPIRED || (explicitDecision && newer)) {
        return Verdict.APPLY;
      }
      return Verdict.MANUAL_DECISION_STANDS;
    }
    if (!update.status().isOutcome()) {
      if (current.status().isOutcome()) {
        return newer ? Verdict.APPLY : Verdict.LATE_PROGRESS;
      }
      if (order != null) {
        return newer || update.status().rank() >= current.status().rank() ? Verdict.APPLY : Verdict.LATE_PROGRESS;
      }
      return update.status().rank() >= current.status().rank() ? Verdict.APPLY : Verdict.LATE_PROGRESS;
    }
    return Verdict.APPLY;
  }

  private static Integer compareTimes(Instant update, Instant current) {
    return update == null || current == null ? null : update.compareTo(current);
  }
}
