package io.kychub.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.DecidedBy;
import io.kychub.model.KycStatus;
import io.kychub.model.StatusChangedEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SseFramesTest {

  private static StatusChangedEvent event(long id) {
    Instant at = Instant.parse("2026-03-12T14:22:22Z");
    return new StatusChangedEvent(id, "acme", "cust-1", "v-1", "sovera", KycStatus.VERIFIED, KycStatus.PROCESSING,
        DecidedBy.PROVIDER, null, at, at, null);
  }

  @Test
  void theSameLiveEventIsEncodedOnceForEveryConnection() {
    SseFrames frames = new SseFrames();
    StatusChangedEvent live = event(7);

    assertThat(frames.of(live)).isSameAs(frames.of(live));
    assertThat(frames.of(live).toString()).isEqualTo(EventStreamConnection.frame(live));
  }

  @Test
  void anotherEventGetsItsOwnFrame() {
    SseFrames frames = new SseFrames();
    StatusChangedEvent first = event(7);
    StatusChangedEvent second = event(8);

    String firstFrame = frames.of(first).toString();

    assertThat(frames.of(second).toString()).isEqualTo(EventStreamConnection.frame(second)).isNotEqualTo(firstFrame);
    assertThat(frames.of(first).toString()).isEqualTo(firstFrame);
  }
}
