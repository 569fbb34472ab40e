package io.kychub.app;

import io.kychub.stream.StreamMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The node's SSE meters: open connections, clients cut off for being slow, events sent, streams refused or ended. */
final class SseMetrics implements StreamMetrics {

  private final AtomicInteger connections = new AtomicInteger();
  private final Counter cutOff;
  private final Counter sent;
  private final Counter refused;
  private final Counter ended;

  SseMetrics(MeterRegistry registry) {
    Gauge.builder("kyc.sse.connections", connections, AtomicInteger::get)
        .description("open SSE connections on this node").register(registry);
    cutOff = Counter.builder("kyc.sse.cut_off").description("slow SSE clients disconnected").register(registry);
    sent = Counter.builder("kyc.sse.events_sent").description("events written to SSE clients").register(registry);
    refused = Counter.builder("kyc.sse.refused").description("streams refused: too many open for the credential or tenant")
        .register(registry);
    ended = Counter.builder("kyc.sse.ended_by_credential")
        .description("open streams ended because their key was revoked, their secret expired or their tenant disabled")
        .register(registry);
  }

  @Override
  public void connectionOpened() {
    connections.incrementAndGet();
  }

  @Override
  public void connectionClosed() {
    connections.decrementAndGet();
  }

  @Override
  public void clientCutOff() {
    cutOff.increment();
  }

  @Override
  public void eventsSent(int count) {
    sent.increment(count);
  }

  @Override
  public void streamRefused() {
    refused.increment();
  }

  @Override
  public void streamEndedByCredential() {
    ended.increment();
  }
}
