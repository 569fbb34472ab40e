package io.kychub.stream;

/** What the event stream reports to the metrics registry; called on the verticle's event loop. */
public interface StreamMetrics {

  StreamMetrics NOOP = new StreamMetrics() {};

  default void connectionOpened() {}

  default void connectionClosed() {}

  /** A client fell too far behind (queue bound or stalled socket) and was disconnected. */
  default void clientCutOff() {}

  default void eventsSent(int count) {}
}
