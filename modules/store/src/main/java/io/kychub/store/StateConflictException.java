package io.kychub.store;

import io.kychub.model.KycState;

/**
 * A change of the hub's own does not fit the customer's current state (its guard is not met), or
 * the verification a reuse would draw on is no longer verified ({@code current} null).
 */
public class StateConflictException extends RuntimeException {

  private final transient KycState current;

  public StateConflictException(KycState currentOrNull) {
    super(currentOrNull == null ? "the reuse source is no longer verified"
        : "current status is " + (currentOrNull.status() == null ? "none" : currentOrNull.status().wire()), null, false, false);
    this.current = currentOrNull;
  }

  /** The customer's state that refused the change; null when a reuse source had lapsed. */
  public KycState current() {
    return current;
  }
}
