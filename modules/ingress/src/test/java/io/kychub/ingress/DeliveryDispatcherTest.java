package io.kychub.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.Addresses;
import io.kychub.model.InboundDelivery;
import io.kychub.model.RecordCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryDispatcherTest {

  private Vertx vertx;
  private Context context;
  private final List<Message<InboundDelivery>> unanswered = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void adapterThatAnswersOnlyWhenTold() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    RecordCodec.registerAll(vertx.eventBus());
    vertx.eventBus().<InboundDelivery>consumer(Addresses.adapter("ripio"), unanswered::add).completion()
        .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static InboundDelivery delivery(long id) {
    return new InboundDelivery(id, "acme", "ripio", Instant.now(), Map.of(), new byte[0]);
  }

  private final java.util.concurrent.atomic.AtomicLong backlog = new java.util.concurrent.atomic.AtomicLong();

  private DeliveryDispatcher dispatcher(int maxInFlight, int maxQueued) {
    return new DeliveryDispatcher(vertx, maxInFlight, maxQueued, 10_000, backlog, registry);
  }

  /** Runs on one event loop, as a listener instance does; answers then come back to it. */
  private void onEventLoop(Runnable action) throws Exception {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      action.run();
      done.complete();
    });
    done.future().await(10, TimeUnit.SECONDS);
  }

  private void awaitUnanswered(int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (unanswered.size() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void noMoreThanTheLimitIsUnansweredAndTheRestWaitsItsTurn() throws Exception {
    DeliveryDispatcher dispatcher = dispatcher(2, 10);

    onEventLoop(() -> {
      for (long id = 1; id <= 5; id++) {
        dispatcher.dispatch(delivery(id));
      }
    });
    awaitUnanswered(2);

    assertThat(unanswered).extracting(m -> m.body().deliveryId()).containsExactly(1L, 2L);
    assertThat(dispatcher.queued()).isEqualTo(3);

    unanswered.remove(0).reply(1);
    awaitUnanswered(2);

    assertThat(unanswered).extracting(m -> m.body().deliveryId()).containsExactly(2L, 3L);
    assertThat(backlog.get()).as("sent or queued, not yet answered").isEqualTo(4);
  }

  @Test
  void pastTheQueueADeliveryIsLeftToTheInboxSweep() throws Exception {
    DeliveryDispatcher dispatcher = dispatcher(1, 1);

    onEventLoop(() -> {
      for (long id = 1; id <= 4; id++) {
        dispatcher.dispatch(delivery(id));
      }
    });
    awaitUnanswered(1);

    assertThat(dispatcher.queued()).isEqualTo(1);
    assertThat(registry.counter("kyc.webhooks.left_to_sweep").count()).isEqualTo(2);
    assertThat(backlog.get()).as("what was left to the sweep is not counted").isEqualTo(2);
  }

  @Test
  void aFailedAnswerAlsoFreesTheSlot() throws Exception {
    DeliveryDispatcher dispatcher = dispatcher(1, 10);

    onEventLoop(() -> {
      dispatcher.dispatch(delivery(1));
      dispatcher.dispatch(delivery(2));
    });
    awaitUnanswered(1);
    unanswered.remove(0).fail(500, "not applied");
    awaitUnanswered(1);

    assertThat(unanswered).extracting(m -> m.body().deliveryId()).containsExactly(2L);
    unanswered.remove(0).reply(1);
    long deadline = System.currentTimeMillis() + 5_000;
    while (backlog.get() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertThat(backlog.get()).isZero();
  }
}
