package io.kychub.providers;

import io.kychub.model.Addresses;
import io.kychub.model.CanonicalUpdate;
import io.kychub.model.InboundDelivery;
import io.kychub.model.RawWebhook;
import io.kychub.model.RecordCodec;
import io.kychub.model.UpdateBatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one provider's adapter on stored deliveries: reads {@link InboundDelivery} at the
 * provider's adapter address, maps it with the pure adapter and hands the {@link UpdateBatch} to
 * the reconciler. The original message is answered only once the reconciler has answered, so
 * the sender knows the delivery was applied (or that it must be retried).
 */
public final class ProviderAdapterVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(ProviderAdapterVerticle.class.getName());

  /** Failure code when the reconciler could not be reached or timed out (no code of its own). */
  static final int RECONCILER_UNAVAILABLE = 503;
  /** Failure code when the adapter itself broke: the delivery stays unapplied for the sweep. */
  static final int ADAPTER_ERROR = 500;

  private final ProviderAdapter adapter;

  public ProviderAdapterVerticle(ProviderAdapter adapter) {
    this.adapter = adapter;
  }

  @Override
  public Future<?> start() {
    RecordCodec.registerAll(vertx.eventBus());
    return vertx.eventBus().<InboundDelivery>consumer(Addresses.adapter(adapter.name()), this::handle).completion();
  }

  private void handle(Message<InboundDelivery> message) {
    InboundDelivery delivery = message.body();
    List<CanonicalUpdate> updates;
    try {
      updates = adapter.parse(toRawWebhook(delivery)).updates();
    } catch (MalformedWebhookException e) {
      // the raw row stays in the inbox; an empty batch only marks the delivery as processed
      LOG.log(System.Logger.Level.WARNING, "delivery {0} of {1}/{2} is malformed: {3}",
          delivery.deliveryId(), delivery.tenantId(), delivery.provider(), e.getMessage());
      updates = List.of();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "adapter " + adapter.name() + " failed on delivery " + delivery.deliveryId(), e);
      message.fail(ADAPTER_ERROR, "adapter error");
      return;
    }
    UpdateBatch batch = UpdateBatch.ofDelivery(
        delivery.deliveryId(), delivery.tenantId(), delivery.provider(), delivery.receivedAt(), updates);
    vertx.eventBus().request(Addresses.RECONCILE, batch)
        .onSuccess(reply -> message.reply(reply.body()))
        .onFailure(failure -> message.fail(failureCode(failure), failure.getMessage()));
  }

  private static int failureCode(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return reply.failureCode();
    }
    return RECONCILER_UNAVAILABLE;
  }

  private static RawWebhook toRawWebhook(InboundDelivery delivery) {
    Map<String, String> headers = new HashMap<>();
    if (delivery.headers() != null) {
      delivery.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
    }
    // the peer address mattered only for authentication, which happened at ingress
    return new RawWebhook(delivery.tenantId(), delivery.provider(), headers, delivery.body(), null, delivery.receivedAt());
  }
}
