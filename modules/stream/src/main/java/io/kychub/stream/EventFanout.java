package io.kychub.stream;

import io.kychub.model.Addresses;
import io.kychub.model.RecordCodec;
import io.kychub.model.StatusChangedEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hands every published (cluster-wide) {@link StatusChangedEvent} to the subscribers of its tenant in one
 * verticle instance. One event-bus consumer per verticle instance instead of one per connection
 * keeps thousands of SSE clients cheap: an event costs one lookup plus one call per connection of
 * its tenant on this instance.
 *
 * <p>Create it on the verticle's context and use it only from there: the consumer then runs on
 * the same event loop as the HTTP requests, so no locking is needed.
 */
public final class EventFanout {

  private final Map<String, Set<Consumer<StatusChangedEvent>>> subscribersByTenant = new HashMap<>();
  private final MessageConsumer<StatusChangedEvent> consumer;

  public EventFanout(Vertx vertx) {
    if (Vertx.currentContext() == null) {
      throw new IllegalStateException("create the EventFanout in its verticle's start(), on the verticle's context");
    }
    RecordCodec.registerAll(vertx.eventBus());
    this.consumer = vertx.eventBus().<StatusChangedEvent>consumer(Addresses.EVENTS, message -> dispatch(message.body()));
  }

  /** Completes once the consumer is registered. */
  public Future<Void> ready() {
    return consumer.completion();
  }

  public void subscribe(String tenantId, Consumer<StatusChangedEvent> subscriber) {
    subscribersByTenant.computeIfAbsent(tenantId, t -> new LinkedHashSet<>()).add(subscriber);
  }

  public void unsubscribe(String tenantId, Consumer<StatusChangedEvent> subscriber) {
    Set<Consumer<StatusChangedEvent>> subscribers = subscribersByTenant.get(tenantId);
    if (subscribers != null && subscribers.remove(subscriber) && subscribers.isEmpty()) {
      subscribersByTenant.remove(tenantId);
    }
  }

  public Future<Void> close() {
    subscribersByTenant.clear();
    return consumer.unregister();
  }

  private void dispatch(StatusChangedEvent event) {
    Set<Consumer<StatusChangedEvent>> subscribers = subscribersByTenant.get(event.tenantId());
    if (subscribers == null) {
      return;
    }
    // A subscriber may unsubscribe while handling the event (a client cut off): iterate a copy.
    for (Consumer<StatusChangedEvent> subscriber : List.copyOf(subscribers)) {
      subscriber.accept(event);
    }
  }
}
