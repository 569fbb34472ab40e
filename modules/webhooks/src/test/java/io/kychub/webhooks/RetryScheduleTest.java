package io.kychub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  @Test
  void fiveSecondsThirtySecondsTwoMinutesTenMinutesOneHourSixHoursADayThenFailed() {
    RetrySchedule schedule = new RetrySchedule(1.0);
    assertThat(schedule.afterAttempt(1)).isEqualTo(5_000L);
    assertThat(schedule.afterAttempt(2)).isEqualTo(30_000L);
    assertThat(schedule.afterAttempt(3)).isEqualTo(120_000L);
    assertThat(schedule.afterAttempt(4)).isEqualTo(600_000L);
    assertThat(schedule.afterAttempt(5)).isEqualTo(3_600_000L);
    assertThat(schedule.afterAttempt(6)).isEqualTo(21_600_000L);
    assertThat(schedule.afterAttempt(7)).isEqualTo(86_400_000L);
    assertThat(schedule.afterAttempt(8)).as("the eighth attempt was the last").isNull();
    assertThat(RetrySchedule.maxAttempts()).isEqualTo(8);
  }

  @Test
  void theDelaysScale() {
    assertThat(new RetrySchedule(0.001).afterAttempt(1)).isEqualTo(5L);
    assertThat(new RetrySchedule(0.00001).afterAttempt(1)).as("never zero").isEqualTo(1L);
  }
}
