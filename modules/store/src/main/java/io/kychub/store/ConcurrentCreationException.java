package io.kychub.store;

/** A customer of the group was created by another transaction meanwhile: applying again finds it. */
public final class ConcurrentCreationException extends RuntimeException {

  ConcurrentCreationException() {
    super("a customer of this group was created concurrently", null, false, false);
  }
}
