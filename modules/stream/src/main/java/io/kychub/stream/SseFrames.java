package io.kychub.stream;

import io.kychub.model.StatusChangedEvent;
import io.vertx.core.buffer.Buffer;

/**
 * The SSE frame of a live event, encoded once however many connections of the event loop write
 * it: the fan-out hands the same event object to every subscriber in turn, so remembering the
 * last one turns thousands of JSON encodings per event into one. One per event loop.
 */
final class SseFrames {

  private StatusChangedEvent last;
  private Buffer lastFrame;

  Buffer of(StatusChangedEvent event) {
    if (event != last) {
      last = event;
      lastFrame = Buffer.buffer(EventStreamConnection.frame(event));
    }
    return lastFrame;
  }
}
