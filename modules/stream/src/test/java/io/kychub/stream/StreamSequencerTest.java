package io.kychub.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.DecidedBy;
import io.kychub.model.KycStatus;
import io.kychub.model.StatusChangedEvent;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class StreamSequencerTest {

  private static final String TENANT = "acme";

  @Test
  void nextLiveEventIsHandedOutAtOnce() {
    StreamSequencer sequencer = new StreamSequencer(null);
    assertThat(sequencer.start(0, 0)).isEmpty();

    assertThat(ids(sequencer.offerLive(event(1, "c1")))).containsExactly(1L);
    assertThat(ids(sequencer.offerLive(event(2, "c2")))).containsExactly(2L);
    assertThat(sequencer.behind()).isFalse();
  }

  @Test
  void liveEventAtOrBelowThePositionIsADuplicate() {
    StreamSequencer sequencer = new StreamSequencer(null);
    sequencer.start(5, 5);

    assertThat(sequencer.offerLive(event(5, "c1"))).isEmpty();
    assertThat(sequencer.offerLive(event(3, "c1"))).isEmpty();
    assertThat(ids(sequencer.offerLive(event(6, "c1")))).containsExactly(6L);
    assertThat(sequencer.offerLive(event(6, "c1"))).isEmpty();
    assertThat(sequencer.buffered()).isZero();
  }

  @Test
  void laterLiveEventWaitsForTheMissingOneThenBothFollowInOrder() {
    StreamSequencer sequencer = new StreamSequencer(null);
    sequencer.start(0, 0);

    assertThat(sequencer.offerLive(event(2, "c1"))).isEmpty();
    assertThat(sequencer.behind()).isTrue();
    assertThat(ids(sequencer.offerLive(event(1, "c1")))).containsExactly(1L, 2L);
    assertThat(sequencer.behind()).isFalse();
  }

  @Test
  void gapIsFilledFromAPageAndTheHeldBackEventFollows() {
    StreamSequencer sequencer = new StreamSequencer(null);
    sequencer.start(0, 0);
    sequencer.offerLive(event(3, "c1"));
    long target = sequencer.knownCommitted();

    List<StatusChangedEvent> out = sequencer.acceptPage(List.of(event(1, "c1"), event(2, "c1"), event(3, "c1")), false, target);

    assertThat(ids(out)).containsExactly(1L, 2L, 3L);
    assertThat(sequencer.position()).isEqualTo(3);
    assertThat(sequencer.behind()).isFalse();
    assertThat(ids(sequencer.offerLive(event(4, "c1")))).containsExactly(4L);
  }

  @Test
  void liveEventsBeforeTheStartAreHeldThenTrimmedToTheCursor() {
    StreamSequencer sequencer = new StreamSequencer(null);
    assertThat(sequencer.offerLive(event(4, "c1"))).isEmpty();
    assertThat(sequencer.offerLive(event(6, "c1"))).isEmpty();
    assertThat(sequencer.offerLive(event(5, "c1"))).isEmpty();

    assertThat(ids(sequencer.start(5, 5))).containsExactly(6L);
    assertThat(sequencer.buffered()).isZero();
  }

  @Test
  void resumeBelowTheEndOfTheLogReadsPagesUntilCaughtUp() {
    StreamSequencer sequencer = new StreamSequencer(null);
    sequencer.start(2, 10);
    assertThat(sequencer.behind()).isTrue();

    assertThat(ids(sequencer.acceptPage(events(3, 7), true, 10))).containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(sequencer.behind()).isTrue();
    assertThat(ids(sequencer.acceptPage(events(8, 10), false, 10))).containsExactly(8L, 9L, 10L);
    assertThat(sequencer.behind()).isFalse();
  }

  @Test
  void pageEventsAlreadyHandedOutLiveAreNotRepeated() {
    StreamSequencer sequencer = new StreamSequencer(null);
    sequencer.start(0, 3);
    // live 4 is held back while 1..3 are read; live 1 arrives before the page does
    sequencer.offerLive(event(4, "c1"));
    assertThat(ids(sequencer.offerLive(event(1, "c1")))).containsExactly(1L);

    assertThat(ids(sequencer.acceptPage(events(1, 4), false, 4))).containsExactly(2L, 3L, 4L);
  }

  @Test
  void customerFilterAdvancesOverOtherCustomersWithoutHandingThemOut() {
    StreamSequencer sequencer = new StreamSequencer("a");
    sequencer.start(0, 0);

    assertThat(ids(sequencer.offerLive(event(1, "a")))).containsExactly(1L);
    assertThat(sequencer.offerLive(event(2, "b"))).isEmpty();
    assertThat(ids(sequencer.offerLive(event(3, "a")))).containsExactly(3L);
    assertThat(sequencer.position()).isEqualTo(3);
    assertThat(sequencer.behind()).isFalse();
  }

  @Test
  void filteredPageThatIsNotFullCoversUpToTheTarget() {
    StreamSequencer sequencer = new StreamSequencer("a");
    sequencer.start(0, 10);

    assertThat(ids(sequencer.acceptPage(List.of(event(2, "a"), event(5, "a")), false, 10))).containsExactly(2L, 5L);
    assertThat(sequencer.position()).isEqualTo(10);
    assertThat(sequencer.behind()).isFalse();
  }

  @Test
  void fullPageCoversOnlyUpToItsLastEvent() {
    StreamSequencer sequencer = new StreamSequencer("a");
    sequencer.start(0, 10);

    assertThat(ids(sequencer.acceptPage(List.of(event(2, "a"), event(5, "a")), true, 10))).containsExactly(2L, 5L);
    assertThat(sequencer.position()).isEqualTo(5);
    assertThat(sequencer.behind()).isTrue();
  }

  @Test
  void filteredGapSeenInAnotherCustomersEventIsFilledFromThePage() {
    StreamSequencer sequencer = new StreamSequencer("a");
    sequencer.start(3, 3);

    assertThat(sequencer.offerLive(event(5, "b"))).isEmpty();
    assertThat(sequencer.behind()).isTrue();
    assertThat(ids(sequencer.acceptPage(List.of(event(4, "a")), false, sequencer.knownCommitted()))).containsExactly(4L);
    assertThat(sequencer.position()).isEqualTo(5);
    assertThat(sequencer.buffered()).isZero();
  }

  private static List<StatusChangedEvent> events(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(id -> event(id, "c1")).toList();
  }

  private static StatusChangedEvent event(long id, String customerId) {
    return new StatusChangedEvent(id, TENANT, customerId, "ver-" + id, "sovera", KycStatus.PROCESSING, KycStatus.PENDING,
        DecidedBy.PROVIDER, null, null, Instant.EPOCH, null);
  }

  private static List<Long> ids(List<StatusChangedEvent> events) {
    return events.stream().map(StatusChangedEvent::id).toList();
  }
}
