package io.kychub.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CanonicalUpdateTest {

  private static final Instant RECEIVED = Instant.parse("2026-12-07T10:00:00Z");

  private static CanonicalUpdate at(Instant occurredAt) {
    return CanonicalUpdate.forCustomer("c-1", KycStatus.PROCESSING, null, occurredAt);
  }

  @Test
  void aProviderTimeMoreThanFiveMinutesAheadOrdersAsTheReceiveTime() {
    assertThat(at(RECEIVED.plus(Duration.ofDays(365))).orderedAsOf(RECEIVED).occurredAt()).isEqualTo(RECEIVED);
    assertThat(at(RECEIVED.plus(Duration.ofMinutes(5)).plusMillis(1)).orderedAsOf(RECEIVED).occurredAt()).isEqualTo(RECEIVED);
  }

  @Test
  void aProviderTimeWithinFiveMinutesAheadOrInThePastIsKept() {
    Instant skewed = RECEIVED.plus(Duration.ofMinutes(5));
    assertThat(at(skewed).orderedAsOf(RECEIVED).occurredAt()).isEqualTo(skewed);
    Instant past = RECEIVED.minus(Duration.ofDays(3));
    assertThat(at(past).orderedAsOf(RECEIVED).occurredAt()).isEqualTo(past);
    assertThat(at(null).orderedAsOf(RECEIVED).occurredAt()).isNull();
    CanonicalUpdate future = at(RECEIVED.plus(Duration.ofDays(1)));
    assertThat(future.orderedAsOf(RECEIVED)).usingRecursiveComparison().ignoringFields("occurredAt").isEqualTo(future);
  }
}
