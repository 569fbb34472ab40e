package io.kychub.model;

import java.util.Locale;

/** Canonical status of a customer's verification; lowercase on the wire. */
public enum KycStatus {
  PENDING(1), PROCESSING(2), UNDER_REVIEW(3), VERIFIED(4), REJECTED(4), EXPIRED(4);

  private final int rank;

  KycStatus(int rank) {
    this.rank = rank;
  }

  /** Progress rank: later stages of one attempt have a higher rank; all outcomes share the top. */
  public int rank() {
    return rank;
  }

  /** True for the outcomes of a verification (verified, rejected, expired). */
  public boolean isOutcome() {
    return rank == 4;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static KycStatus fromWire(String value) {
    if (value == null) {
      throw new IllegalArgumentException("status is missing");
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown status: " + value);
    }
  }
}
