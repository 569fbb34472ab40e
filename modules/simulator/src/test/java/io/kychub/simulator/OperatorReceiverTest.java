package io.kychub.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo's operator receiver checks signatures as the Standard Webhooks specification says. */
class OperatorReceiverTest {

  // The test vector of the Standard Webhooks specification.
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final String TIMESTAMP = "1614265330";
  private static final String BODY = "{\"test\": 2432232314}";
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  private static final Instant THEN = Instant.ofEpochSecond(1614265330);

  private static Vertx vertx;
  private static WebClient client;
  private static OperatorReceiver receiver;
  private static final List<String> printed = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    receiver = new OperatorReceiver(0, printed::add);
    vertx.deployVerticle(receiver).await(10, TimeUnit.SECONDS);
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void theSpecificationsVectorVerifies() {
    assertThat(OperatorReceiver.check(SECRET, ID, TIMESTAMP, SIGNATURE, BODY, THEN)).isNull();
    assertThat(OperatorReceiver.check(SECRET, ID, TIMESTAMP, "v1,bm90IGl0 " + SIGNATURE, BODY, THEN))
        .as("one of several signatures").isNull();
  }

  @Test
  void aChangedBodyIdOrTimestampOrAnotherSecretDoesNot() {
    assertThat(OperatorReceiver.check(SECRET, ID, TIMESTAMP, SIGNATURE, "{\"test\": 2432232315}", THEN))
        .isEqualTo("no signature matches");
    assertThat(OperatorReceiver.check(SECRET, "msg_other", TIMESTAMP, SIGNATURE, BODY, THEN)).isEqualTo("no signature matches");
    assertThat(OperatorReceiver.check(SECRET, ID, "1614265331", SIGNATURE, BODY, THEN.plusSeconds(1)))
        .isEqualTo("no signature matches");
    assertThat(OperatorReceiver.check("whsec_" + "A".repeat(32), ID, TIMESTAMP, SIGNATURE, BODY, THEN))
        .isEqualTo("no signature matches");
    assertThat(OperatorReceiver.check(SECRET, ID, TIMESTAMP, "v2," + SIGNATURE.substring(3), BODY, THEN))
        .isEqualTo("no signature matches");
  }

  @Test
  void aTimestampOutsideFiveMinutesOrMissingHeadersAreRefused() {
    assertThat(OperatorReceiver.check(SECRET, ID, TIMESTAMP, SIGNATURE, BODY, THEN.plusSeconds(301))).contains("300 s");
    assertThat(OperatorReceiver.check(SECRET, ID, TIMESTAMP, SIGNATURE, BODY, THEN.minusSeconds(301))).contains("300 s");
    assertThat(OperatorReceiver.check(SECRET, ID, TIMESTAMP, SIGNATURE, BODY, THEN.plusSeconds(300))).isNull();
    assertThat(OperatorReceiver.check(SECRET, null, TIMESTAMP, SIGNATURE, BODY, THEN)).startsWith("missing");
    assertThat(OperatorReceiver.check(SECRET, ID, "soon", SIGNATURE, BODY, THEN)).contains("not a number");
    assertThat(OperatorReceiver.check(null, ID, TIMESTAMP, SIGNATURE, BODY, THEN)).contains("no secret");
  }

  @Test
  void overHttpAVerifiedDeliveryIs204ARepeatIsNotedAndAForgedOneIs401() throws Exception {
    String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString("0123456789abcdef01234567".getBytes());
    receiver.useSecret(secret);
    String body = new JsonObject().put("id", "7").put("customerId", "cust-1").put("status", "verified").encode();
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    String signature = "v1," + sign(secret, "msg_we_1_7", timestamp, body);
    assertThat(post("msg_we_1_7", timestamp, signature, body).statusCode()).isEqualTo(204);
    assertThat(post("msg_we_1_7", timestamp, signature, body).statusCode()).isEqualTo(204);
    assertThat(post("msg_we_1_8", timestamp, signature, body).statusCode()).isEqualTo(401);
    assertThat(printed).hasSize(3);
    assertThat(printed.get(0)).contains("signature verified", "msg_we_1_7", "cust-1 is verified");
    assertThat(printed.get(1)).contains("a repeat of msg_we_1_7");
    assertThat(printed.get(2)).contains("REFUSED");
    JsonObject listed = client.getAbs("http://127.0.0.1:" + receiver.actualPort() + "/received").send()
        .await(10, TimeUnit.SECONDS).bodyAsJsonObject();
    assertThat(listed.getJsonArray("received").getJsonObject(0).getBoolean("verified")).isFalse();
    assertThat(listed.getJsonArray("received").getJsonObject(2).getJsonObject("event").getString("status")).isEqualTo("verified");
  }

  private static HttpResponse<Buffer> post(String id, String timestamp, String signature, String body) throws Exception {
    return client.postAbs(receiver.url()).putHeader("webhook-id", id).putHeader("webhook-timestamp", timestamp)
        .putHeader("webhook-signature", signature).sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
  }

  /** Signed as a sender would (javax.crypto directly, not the code under test). */
  private static String sign(String whsec, String id, String timestamp, String body) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(whsec.substring(6)), "HmacSHA256"));
    return java.util.Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
