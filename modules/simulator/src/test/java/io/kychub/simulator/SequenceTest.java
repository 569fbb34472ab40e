package io.kychub.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.KycStatus;
import io.kychub.model.RawWebhook;
import io.kychub.providers.ProviderAdapter;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A status sequence: logical order in the provider's timestamps, delivery order shuffled, duplicates byte-identical. */
class SequenceTest extends SimulatorTestBase {

  private static final List<KycStatus> LIFECYCLE =
      List.of(KycStatus.PENDING, KycStatus.PROCESSING, KycStatus.REJECTED, KycStatus.VERIFIED);
  private static final Instant START = Instant.parse("2026-05-01T10:00:00Z");

  private static CanonicalUpdate parse(RawWebhook webhook) {
    ProviderAdapter ripio = REGISTRY.find("ripio").orElseThrow();
    try {
      return ripio.parse(webhook).updates().get(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private List<KycStatus> deliveredStatuses() {
    return hub.received().stream().map(w -> parse(w).status()).toList();
  }

  @Test
  void inOrderSequenceArrivesInOrderOneSecondApart() {
    String customer = newCustomer();
    List<Integer> answers = Await.result(sims.ripio().sequence(TENANT, customer, LIFECYCLE,
        SequenceOptions.inOrder().startingAt(START)));

    assertThat(answers).containsOnly(200).hasSize(4);
    assertThat(deliveredStatuses()).isEqualTo(LIFECYCLE);
    assertThat(hub.received().stream().map(w -> parse(w).occurredAt()).toList())
        .containsExactly(START, START.plusSeconds(1), START.plusSeconds(2), START.plusSeconds(3));
  }

  @Test
  void shuffledSequenceWithDuplicatesDeliversEveryStatusAndRepeatsExactBytes() {
    String customer = newCustomer();
    List<Integer> answers = Await.result(sims.ripio().sequence(TENANT, customer, LIFECYCLE,
        SequenceOptions.shuffled(7).withDuplicates(3).startingAt(START)));

    assertThat(answers).hasSize(7);
    assertThat(Set.copyOf(deliveredStatuses())).isEqualTo(Set.copyOf(LIFECYCLE));
    Set<String> distinctBodies = hub.received().stream().map(w -> Arrays.toString(w.body())).collect(Collectors.toSet());
    assertThat(distinctBodies).hasSize(4);
    CanonicalUpdate latest = hub.received().stream().map(SequenceTest::parse)
        .max(Comparator.comparing(CanonicalUpdate::occurredAt)).orElseThrow();
    assertThat(latest.status()).isEqualTo(KycStatus.VERIFIED);
    assertThat(sims.ripio().customer(customer).orElseThrow().status()).isEqualTo(KycStatus.VERIFIED);
  }

  @Test
  void theSameSeedGivesTheSameDeliveryOrder() {
    Await.result(sims.ripio().sequence(TENANT, newCustomer(), LIFECYCLE, SequenceOptions.shuffled(42).withDuplicates(2)));
    List<KycStatus> first = deliveredStatuses();
    hub.reset();
    Await.result(sims.ripio().sequence(TENANT, newCustomer(), LIFECYCLE, SequenceOptions.shuffled(42).withDuplicates(2)));
    assertThat(deliveredStatuses()).isEqualTo(first);
  }

  @Test
  void shuffledOrderDiffersFromTheLogicalOrderForSomeSeed() {
    Await.result(sims.ripio().sequence(TENANT, newCustomer(), LIFECYCLE, SequenceOptions.shuffled(1)));
    assertThat(deliveredStatuses()).isNotEqualTo(LIFECYCLE).containsExactlyInAnyOrderElementsOf(LIFECYCLE);
  }
}
