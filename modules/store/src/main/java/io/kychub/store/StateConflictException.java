package io.kychub.store;

import io.kychub.model.KycState;

/** A hub decision does not fit the customer's current state (answered 409). */
public class StateConflictException extends RuntimeException {

  private final transient KycState current;

  public StateConflictException(KycState current) {
    super("current status is " + (current.status() == null ? "none" : current.status().wire()), null, false, false);
    this.current = current;
  }

  public KycState current() {
    return current;
  }
}
