package io.kychub.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class PreAuthBudgetTest {

  @Test
  void reservationsStopAtTheLimitAndComeBack() {
    PreAuthBudget budget = new PreAuthBudget(100, new SimpleMeterRegistry());
    assertThat(budget.tryReserve(60)).isTrue();
    assertThat(budget.tryReserve(41)).isFalse();
    assertThat(budget.held()).isEqualTo(60);
    assertThat(budget.tryReserve(40)).isTrue();
    budget.release(60);
    assertThat(budget.held()).isEqualTo(40);
    assertThat(budget.tryReserve(60)).isTrue();
  }
}
