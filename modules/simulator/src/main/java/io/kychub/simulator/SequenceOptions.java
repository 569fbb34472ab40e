package io.kychub.simulator;

import java.time.Instant;

/**
 * How {@link ProviderSimulator#sequence} delivers a list of statuses. The statuses keep their
 * logical order in the provider's timestamps (one second apart from {@code start}); only the
 * delivery order is shuffled, as a real provider's retries and parallel senders do.
 *
 * @param duplicates how many deliveries are sent a second time, byte for byte
 * @param seed makes the shuffle and the choice of duplicates repeatable
 * @param start the provider time of the first status; null: so that the last is about now
 */
public record SequenceOptions(boolean shuffle, int duplicates, long seed, Instant start) {

  public SequenceOptions {
    if (duplicates < 0) {
      throw new IllegalArgumentException("duplicates must not be negative");
    }
  }

  public static SequenceOptions inOrder() {
    return new SequenceOptions(false, 0, 0, null);
  }

  public static SequenceOptions shuffled(long seed) {
    return new SequenceOptions(true, 0, seed, null);
  }

  public SequenceOptions withDuplicates(int duplicates) {
    return new SequenceOptions(shuffle, duplicates, seed, start);
  }

  public SequenceOptions startingAt(Instant start) {
    return new SequenceOptions(shuffle, duplicates, seed, start);
  }
}
