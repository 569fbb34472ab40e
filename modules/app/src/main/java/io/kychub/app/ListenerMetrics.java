package io.kychub.app;

import io.kychub.model.ListenerGuard;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** A listener's connection and body-timeout figures as meters, tagged with the listener's name. */
final class ListenerMetrics {

  private ListenerMetrics() {}

  static void register(ListenerGuard guard, MeterRegistry registry) {
    Gauge.builder("kyc.http.connections", guard, ListenerGuard::openConnections)
        .description("open connections of the listener on this node").tag("listener", guard.name()).register(registry);
    FunctionCounter.builder("kyc.http.connections.refused", guard, ListenerGuard::refusedConnections)
        .description("connections closed at once because the listener was at KYC_HTTP_MAX_CONNECTIONS")
        .tag("listener", guard.name()).register(registry);
    FunctionCounter.builder("kyc.http.body_timeouts", guard, ListenerGuard::bodyTimeouts)
        .description("requests answered 408 because their body did not arrive within KYC_REQUEST_BODY_TIMEOUT_MILLIS")
        .tag("listener", guard.name()).register(registry);
  }
}
