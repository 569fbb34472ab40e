package io.kychub.providers.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  @Test
  void isoInstantWithSevenFractionDigitsIsRead() {
    assertThat(Timestamps.parseLenient("2023-03-16T09:42:18.8338086Z"))
        .isEqualTo(Instant.ofEpochSecond(1678959738L, 833_808_600));
  }

  @Test
  void offsetIsApplied() {
    assertThat(Timestamps.parseLenient("2024-05-01T12:00:00+02:00")).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
  }

  @Test
  void missingOffsetMeansUtc() {
    assertThat(Timestamps.parseLenient("2024-05-01T10:00:00.5")).isEqualTo(Instant.parse("2024-05-01T10:00:00.500Z"));
  }

  @Test
  void minutePrecisionAndSpaceSeparatorAreRead() {
    assertThat(Timestamps.parseLenient("2024-05-01T10:00+02:00")).isEqualTo(Instant.parse("2024-05-01T08:00:00Z"));
    assertThat(Timestamps.parseLenient("2024-05-01 10:00:00Z")).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
  }

  @Test
  void partialOrTrailingOrInvalidTextGivesNull() {
    assertThat(Timestamps.parseLenient("2024-05-01")).as("a date is not a point in time").isNull();
    assertThat(Timestamps.parseLenient("2024-05-01T10")).isNull();
    assertThat(Timestamps.parseLenient("2024-05-01T10:00:00Zjunk")).isNull();
    assertThat(Timestamps.parseLenient("2024-13-01T10:00:00Z")).isNull();
    assertThat(Timestamps.parseLenient("2016-12-31T23:59:60Z")).as("leap second").isNull();
  }

  @Test
  void epochSecondsAndMillisAreRead() {
    assertThat(Timestamps.parseLenient(1614265330L)).isEqualTo(Instant.ofEpochSecond(1614265330L));
    assertThat(Timestamps.parseLenient("1614265330123")).isEqualTo(Instant.ofEpochMilli(1614265330123L));
  }

  @Test
  void unreadableValuesGiveNull() {
    assertThat(Timestamps.parseLenient("ISO 8601 format timestamp")).isNull();
    assertThat(Timestamps.parseLenient("")).isNull();
    assertThat(Timestamps.parseLenient(null)).isNull();
    assertThat(Timestamps.parseLenient(new Object())).isNull();
  }

  @Test
  void firstReadableSkipsUnreadable() {
    assertThat(Timestamps.firstReadable(null, "nope", "2024-05-01T10:00:00Z")).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
  }
}
