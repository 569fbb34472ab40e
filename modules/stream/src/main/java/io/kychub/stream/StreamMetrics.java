package io.kychub.stream;

/** What the event stream reports to the metrics registry; called on the verticle's event loop. */
public interface StreamMetrics {

  StreamMetrics NOOP = new StreamMetrics() {};

  default void connectionOpened() {}

  default void connectionClosed() {}

  /** A client fell too far behind (queue bound or stalled socket) and was disconnected. */
  default void clientCutOff() {}

  default void eventsSent(int count) {}

  /** A stream was refused: its credential or tenant already has as many open as allowed. */
  default void streamRefused() {}

  /** An open stream was ended because its credential was revoked or expired, or its tenant disabled. */
  default void streamEndedByCredential() {}
}
