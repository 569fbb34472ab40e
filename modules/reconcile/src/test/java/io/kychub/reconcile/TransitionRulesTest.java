package io.kychub.reconcile;

import static io.kychub.model.KycStatus.EXPIRED;
import static io.kychub.model.KycStatus.PENDING;
import static io.kychub.model.KycStatus.PROCESSING;
import static io.kychub.model.KycStatus.REJECTED;
import static io.kychub.model.KycStatus.UNDER_REVIEW;
import static io.kychub.model.KycStatus.VERIFIED;
import static io.kychub.reconcile.TransitionRules.Verdict.APPLY;
import static io.kychub.reconcile.TransitionRules.Verdict.DUPLICATE;
import static io.kychub.reconcile.TransitionRules.Verdict.LATE_PROGRESS;
import static io.kychub.reconcile.TransitionRules.Verdict.MANUAL_DECISION_STANDS;
import static io.kychub.reconcile.TransitionRules.Verdict.STALE;
import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.DecidedBy;
import io.kychub.model.KycState;
import io.kychub.model.KycStatus;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.SubjectKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransitionRulesTest {

  private static final Instant T0 = Instant.parse("2026-03-12T14:00:00Z");

  private static Instant t(int minutes) {
    return T0.plusSeconds(60L * minutes);
  }

  private static CanonicalUpdate update(KycStatus status, Instant at) {
    return new CanonicalUpdate("cust-1", SubjectKind.CUSTOMER, status, DecidedBy.PROVIDER, null, at);
  }

  private static CanonicalUpdate update(KycStatus status, Reason reason, Instant at) {
    return new CanonicalUpdate("cust-1", SubjectKind.CUSTOMER, status, DecidedBy.PROVIDER, reason, at);
  }

  private static KycState state(KycStatus status, DecidedBy by, Instant at) {
    return new KycState("t", "cust-1", status, by, null, "sovera", null, at, null);
  }

  /** Applies updates one by one the way the store does, returning the final state and the events. */
  private static Run run(KycState start, List<CanonicalUpdate> updates) {
    KycState current = start;
    List<KycStatus> events = new ArrayList<>();
    for (CanonicalUpdate u : updates) {
      if (TransitionRules.decide(current, u) == APPLY) {
        current = new KycState("t", "cust-1", u.status(), u.decidedBy(), u.reason(), "sovera", null, u.occurredAt(), null);
        events.add(u.status());
      }
    }
    return new Run(current, events);
  }

  private record Run(KycState state, List<KycStatus> events) {}

  private static List<List<CanonicalUpdate>> permutations(List<CanonicalUpdate> items) {
    if (items.size() <= 1) {
      return List.of(items);
    }
    List<List<CanonicalUpdate>> all = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<CanonicalUpdate> rest = new ArrayList<>(items);
      CanonicalUpdate head = rest.remove(i);
      for (List<CanonicalUpdate> tail : permutations(rest)) {
        List<CanonicalUpdate> p = new ArrayList<>();
        p.add(head);
        p.addAll(tail);
        all.add(p);
      }
    }
    return all;
  }

  @Test
  void firstUpdateAlwaysApplies() {
    assertThat(TransitionRules.decide(null, update(PROCESSING, null))).isEqualTo(APPLY);
  }

  @Test
  void identicalRedeliveryIsADuplicate() {
    assertThat(TransitionRules.decide(state(VERIFIED, DecidedBy.PROVIDER, t(5)), update(VERIFIED, t(5)))).isEqualTo(DUPLICATE);
  }

  @Test
  void latePendingNeverOverwritesVerified() {
    KycState verified = state(VERIFIED, DecidedBy.PROVIDER, t(5));
    assertThat(TransitionRules.decide(verified, update(PENDING, t(1)))).isEqualTo(STALE);
    assertThat(TransitionRules.decide(verified, update(PENDING, null))).isEqualTo(LATE_PROGRESS);
    assertThat(TransitionRules.decide(state(VERIFIED, DecidedBy.PROVIDER, null), update(PROCESSING, null))).isEqualTo(LATE_PROGRESS);
  }

  @Test
  void newerAttemptAfterAnOutcomeIsAccepted() {
    assertThat(TransitionRules.decide(state(REJECTED, DecidedBy.PROVIDER, t(5)), update(PENDING, t(9)))).isEqualTo(APPLY);
  }

  @Test
  void olderProviderDecisionIsStale() {
    assertThat(TransitionRules.decide(state(REJECTED, DecidedBy.PROVIDER, t(5)), update(VERIFIED, t(4)))).isEqualTo(STALE);
    assertThat(TransitionRules.decide(state(REJECTED, DecidedBy.PROVIDER, t(5)), update(VERIFIED, t(6)))).isEqualTo(APPLY);
  }

  @Test
  void withoutProviderTimeOnlyALaterStageMovesForward() {
    assertThat(TransitionRules.decide(state(PROCESSING, DecidedBy.PROVIDER, null), update(PENDING, null))).isEqualTo(LATE_PROGRESS);
    assertThat(TransitionRules.decide(state(PENDING, DecidedBy.PROVIDER, null), update(PROCESSING, null))).isEqualTo(APPLY);
    assertThat(TransitionRules.decide(state(PROCESSING, DecidedBy.PROVIDER, null), update(VERIFIED, null))).isEqualTo(APPLY);
  }

  @Test
  void manualDecisionStandsAgainstLateAndUntimedProviderUpdates() {
    KycState manual = state(VERIFIED, DecidedBy.OPERATOR, t(10));
    assertThat(TransitionRules.decide(manual, update(UNDER_REVIEW, t(8)))).isEqualTo(STALE);
    assertThat(TransitionRules.decide(manual, update(REJECTED, null))).isEqualTo(MANUAL_DECISION_STANDS);
    assertThat(TransitionRules.decide(manual, update(PROCESSING, t(11)))).isEqualTo(MANUAL_DECISION_STANDS);
  }

  @Test
  void manualDecisionYieldsToNewerExplicitProviderDecisionOrExpiry() {
    KycState manual = state(VERIFIED, DecidedBy.OPERATOR, t(10));
    assertThat(TransitionRules.decide(manual, update(REJECTED, t(11)))).isEqualTo(APPLY);
    assertThat(TransitionRules.decide(manual, update(EXPIRED, null))).isEqualTo(APPLY);
  }

  @Test
  void changedReviewReasonIsRecorded() {
    KycState review = new KycState("t", "cust-1", UNDER_REVIEW, DecidedBy.PROVIDER, Reason.of(ReasonCode.AML_REVIEW, "a"),
        "sovera", null, null, null);
    assertThat(TransitionRules.decide(review, update(UNDER_REVIEW, Reason.of(ReasonCode.DOCUMENT_ISSUE, "b"), null)))
        .isEqualTo(APPLY);
  }

  @Test
  void everyOrderOfATimedSequenceEndsInTheLastDecision() {
    List<CanonicalUpdate> sequence = List.of(update(PENDING, t(1)), update(PROCESSING, t(2)),
        update(UNDER_REVIEW, Reason.of(ReasonCode.AML_REVIEW, "AML checks need to be reviewed"), t(3)),
        update(REJECTED, Reason.of(ReasonCode.AML_HIT, "AML checks rejected"), t(4)));
    for (List<CanonicalUpdate> order : permutations(sequence)) {
      Run run = run(null, order);
      assertThat(run.state().status()).as("order %s", order).isEqualTo(REJECTED);
      assertThat(run.state().reason().code()).isEqualTo(ReasonCode.AML_HIT);
      assertThat(run.events()).last().isEqualTo(REJECTED);
    }
  }

  @Test
  void everyOrderOfAnUntimedSequenceEndsVerified() {
    List<CanonicalUpdate> sequence = List.of(update(PENDING, null), update(PROCESSING, null), update(VERIFIED, null));
    for (List<CanonicalUpdate> order : permutations(sequence)) {
      assertThat(run(null, order).state().status()).as("order %s", order).isEqualTo(VERIFIED);
    }
  }

  @Test
  void duplicatedAndShuffledDeliveriesGiveOneEventPerStatusAtMost() {
    List<CanonicalUpdate> sequence = new ArrayList<>();
    for (int copy = 0; copy < 3; copy++) {
      sequence.add(update(PENDING, t(1)));
      sequence.add(update(PROCESSING, t(2)));
      sequence.add(update(VERIFIED, t(3)));
    }
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      Collections.shuffle(sequence, random);
      Run run = run(null, sequence);
      assertThat(run.state().status()).isEqualTo(VERIFIED);
      assertThat(run.events()).doesNotHaveDuplicates().endsWith(VERIFIED);
    }
  }

  @Test
  void shuffledLateProviderUpdatesNeverUndoAManualDecision() {
    KycState manual = state(REJECTED, DecidedBy.OPERATOR, t(10));
    List<CanonicalUpdate> late = List.of(update(PENDING, t(1)), update(PROCESSING, t(2)), update(UNDER_REVIEW, t(3)),
        update(PROCESSING, null), update(VERIFIED, null));
    for (List<CanonicalUpdate> order : permutations(late)) {
      Run run = run(manual, order);
      assertThat(run.state().status()).isEqualTo(REJECTED);
      assertThat(run.state().decidedBy()).isEqualTo(DecidedBy.OPERATOR);
      assertThat(run.events()).isEmpty();
    }
  }
}
