package io.kychub.reconcile;

import static io.kychub.reconcile.TransitionRules.Verdict.APPLY;
import static io.kychub.reconcile.TransitionRules.Verdict.CONFLICT;
import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.Guard;
import io.kychub.model.KycState;
import io.kychub.model.KycStatus;
import io.kychub.model.StatusChange;
import io.kychub.model.SubjectKind;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The guards of the hub's own changes: each applies only to the state it was made for. */
class HubChangeGuardsTest {

  private static final UUID MINE = UUID.fromString("018f0000-0000-7000-8000-000000000001");
  private static final UUID OTHER = UUID.fromString("018f0000-0000-7000-8000-000000000002");

  private static KycState state(KycStatus status, DecidedBy by, UUID verification) {
    return new KycState("t", "c", status, by, null, "sovera", verification == null ? null : verification.toString(), null, null);
  }

  private static StatusChange change(Guard guard, KycStatus status, UUID expected) {
    return new StatusChange(new CanonicalUpdate("c", SubjectKind.CUSTOMER, status, DecidedBy.OPERATOR, null, Instant.now()),
        guard, expected, null, false);
  }

  @Test
  void aManualDecisionNeedsTheCustomerUnderReview() {
    assertThat(TransitionRules.decide(state(KycStatus.UNDER_REVIEW, DecidedBy.PROVIDER, MINE),
        change(Guard.UNDER_REVIEW, KycStatus.VERIFIED, null))).isEqualTo(APPLY);
    for (KycStatus other : new KycStatus[] {KycStatus.PENDING, KycStatus.PROCESSING, KycStatus.VERIFIED, KycStatus.REJECTED}) {
      assertThat(TransitionRules.decide(state(other, DecidedBy.PROVIDER, MINE), change(Guard.UNDER_REVIEW, KycStatus.VERIFIED, null)))
          .as(other.wire()).isEqualTo(CONFLICT);
    }
    assertThat(TransitionRules.decide(null, change(Guard.UNDER_REVIEW, KycStatus.VERIFIED, null))).isEqualTo(CONFLICT);
  }

  @Test
  void aReuseCompletionNeedsTheCustomerPendingAndAStartAlwaysApplies() {
    assertThat(TransitionRules.decide(state(KycStatus.PENDING, DecidedBy.PROVIDER, MINE), change(Guard.PENDING, KycStatus.VERIFIED, null)))
        .isEqualTo(APPLY);
    assertThat(TransitionRules.decide(state(KycStatus.PROCESSING, DecidedBy.PROVIDER, MINE),
        change(Guard.PENDING, KycStatus.VERIFIED, null))).isEqualTo(CONFLICT);
    assertThat(TransitionRules.decide(state(KycStatus.VERIFIED, DecidedBy.PROVIDER, MINE), change(Guard.ANY, KycStatus.PENDING, null)))
        .as("a start after a decision").isEqualTo(APPLY);
    assertThat(TransitionRules.decide(null, change(Guard.ANY, KycStatus.PENDING, null))).isEqualTo(APPLY);
  }

  @Test
  void anExpiryNeedsTheExpectedVerificationStillPending() {
    assertThat(TransitionRules.decide(state(KycStatus.PENDING, DecidedBy.PROVIDER, MINE),
        change(Guard.PENDING_VERIFICATION, KycStatus.EXPIRED, MINE))).isEqualTo(APPLY);
    assertThat(TransitionRules.decide(state(KycStatus.PENDING, DecidedBy.PROVIDER, OTHER),
        change(Guard.PENDING_VERIFICATION, KycStatus.EXPIRED, MINE))).as("a newer verification").isEqualTo(CONFLICT);
    assertThat(TransitionRules.decide(state(KycStatus.PROCESSING, DecidedBy.PROVIDER, MINE),
        change(Guard.PENDING_VERIFICATION, KycStatus.EXPIRED, MINE))).as("progress meanwhile").isEqualTo(CONFLICT);
  }

  @Test
  void aRevocationNeedsTheCustomerStillVerifiedByThatReuse() {
    assertThat(TransitionRules.decide(state(KycStatus.VERIFIED, DecidedBy.REUSE, MINE),
        change(Guard.CURRENT_REUSE, KycStatus.EXPIRED, MINE))).isEqualTo(APPLY);
    assertThat(TransitionRules.decide(state(KycStatus.VERIFIED, DecidedBy.PROVIDER, MINE),
        change(Guard.CURRENT_REUSE, KycStatus.EXPIRED, MINE))).as("verified by a provider since").isEqualTo(CONFLICT);
    assertThat(TransitionRules.decide(state(KycStatus.VERIFIED, DecidedBy.REUSE, OTHER),
        change(Guard.CURRENT_REUSE, KycStatus.EXPIRED, MINE))).as("another reuse").isEqualTo(CONFLICT);
    assertThat(TransitionRules.decide(state(KycStatus.EXPIRED, DecidedBy.REUSE, MINE),
        change(Guard.CURRENT_REUSE, KycStatus.EXPIRED, MINE))).as("revoked already").isEqualTo(CONFLICT);
  }

  @Test
  void aProvidersUpdateGoesThroughTheOrderingRules() {
    KycState verified = state(KycStatus.VERIFIED, DecidedBy.PROVIDER, MINE);
    StatusChange latePending = StatusChange.fromProvider(
        new CanonicalUpdate("c", SubjectKind.CUSTOMER, KycStatus.PENDING, DecidedBy.PROVIDER, null, null));
    assertThat(TransitionRules.decide(verified, latePending)).isEqualTo(TransitionRules.Verdict.LATE_PROGRESS);
  }
}
