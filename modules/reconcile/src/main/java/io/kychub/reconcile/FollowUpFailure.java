package io.kychub.reconcile;

/** A follow-up that cannot succeed by retrying (the provider refused the request): it is failed at once. */
public final class FollowUpFailure extends RuntimeException {

  public FollowUpFailure(String message) {
    super(message, null, false, false);
  }
}
