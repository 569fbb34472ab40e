package io.kychub.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.Addresses;
import io.kychub.model.InboundDelivery;
import io.kychub.model.Guard;
import io.kychub.model.KycStatus;
import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import io.kychub.model.UpdateBatch;
import io.kychub.providers.sovera.SoveraAdapter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ProviderAdapterVerticleTest {

  private static InboundDelivery delivery(long id, String fixture) {
    return new InboundDelivery(id, "acme", "sovera", Fixtures.RECEIVED_AT,
        Map.of("Authorization", "Basic eHg6eXk=", "content-type", "application/json"), Fixtures.bytes("sovera", fixture));
  }

  /** Deploys the Sovera adapter verticle behind a fake reconciler. */
  private static Future<String> deploy(Vertx vertx, Consumer<Message<UpdateBatch>> reconciler) {
    return vertx.eventBus().<UpdateBatch>consumer(Addresses.RECONCILE, reconciler::accept).completion()
        .compose(registered -> vertx.deployVerticle(new ProviderAdapterVerticle(new SoveraAdapter())));
  }

  @Test
  void deliveryIsMappedAndTheReconcilersReplyIsPassedBack(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<UpdateBatch> seen = new AtomicReference<>();
    deploy(vertx, m -> {
      seen.set(m.body());
      m.reply("applied");
    })
        .compose(id -> vertx.eventBus().request(Addresses.adapter("sovera"), delivery(7, "rejected-aml")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.body()).isEqualTo("applied");
          UpdateBatch batch = seen.get();
          assertThat(batch.deliveryId()).isEqualTo(7);
          assertThat(batch.tenantId()).isEqualTo("acme");
          assertThat(batch.provider()).isEqualTo("sovera");
          assertThat(batch.receivedAt()).isEqualTo(Fixtures.RECEIVED_AT);
          assertThat(batch.changes()).hasSize(1);
          assertThat(batch.changes().get(0).guard()).as("a provider's update is ordered by the rules").isEqualTo(Guard.PROVIDER);
          assertThat(batch.changes().get(0).update().subject()).isEqualTo("string");
          assertThat(batch.changes().get(0).update().status()).isEqualTo(KycStatus.REJECTED);
          assertThat(batch.changes().get(0).update().reason()).isEqualTo(Reason.of(ReasonCode.AML_HIT, "AML checks rejected"));
          ctx.completeNow();
        })));
  }

  @Test
  void malformedDeliveryIsSentAsAnEmptyBatch(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<UpdateBatch> seen = new AtomicReference<>();
    deploy(vertx, m -> {
      seen.set(m.body());
      m.reply("processed");
    })
        .compose(id -> vertx.eventBus().request(Addresses.adapter("sovera"), delivery(8, "not-json")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.body()).isEqualTo("processed");
          assertThat(seen.get().deliveryId()).isEqualTo(8);
          assertThat(seen.get().changes()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void reconcilerFailureFailsTheOriginalMessage(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, m -> m.fail(409, "stale delivery"))
        .compose(id -> vertx.eventBus().request(Addresses.adapter("sovera"), delivery(9, "verified")))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          assertThat(failure).isInstanceOf(ReplyException.class);
          ReplyException reply = (ReplyException) failure;
          assertThat(reply.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
          assertThat(reply.failureCode()).isEqualTo(409);
          assertThat(reply.getMessage()).isEqualTo("stale delivery");
          ctx.completeNow();
        })));
  }
}
