package io.kychub.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.DecidedBy;
import io.kychub.model.KycStatus;
import io.kychub.simulator.HubTarget;
import io.kychub.simulator.ProviderSimulator;
import io.kychub.simulator.SequenceOptions;
import io.kychub.simulator.SimulatorConfig;
import io.kychub.simulator.Simulators;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verifications through the providers, each played by its simulator as a real HTTP server:
 * start through the operator API, the provider's webhooks, SSE, the final state; decisions
 * forwarded to Vivamo; a dropped webhook recovered by polling; a provider that refuses or is down.
 */
class ProviderFlowTest {

  private static final String SECRET = "flow-webhook-secret-0123456789";
  private static HubHarness hub;
  private static Simulators sims;
  private static String key;

  @BeforeAll
  static void start() throws Exception {
    hub = HubHarness.start(ProviderFlowTest.class, Map.of("KYC_POLL_IDLE_SECONDS", 1, "KYC_VERIFICATION_SWEEP_MILLIS", 300));
    sims = Simulators.start(hub.node.vertx(), SimulatorConfig.defaults()).await(10, TimeUnit.SECONDS);
    hub.createTenant("flow");
    for (ProviderSimulator sim : sims.all()) {
      hub.putCredential("flow", sim.name(), new JsonObject()
          .put("webhookAuth", new JsonObject().put("secrets", new JsonArray().add(SECRET)).put("username", "user-" + sim.name()))
          .put("api", sim.apiSettings().toJson()));
      sim.addTarget(HubTarget.of(hub.publicBase(), "flow", SECRET).withUsername("user-" + sim.name()));
    }
    key = hub.createApiKey("flow");
  }

  @AfterAll
  static void stop() throws Exception {
    sims.stop().await(10, TimeUnit.SECONDS);
    hub.close();
  }

  private static HttpResponse<Buffer> startAt(String provider, String customer) throws Exception {
    return hub.operator("POST", key, "/v1/customers/" + customer + "/verifications", new JsonObject().put("provider", provider));
  }

  @Test
  void aFullVerificationThroughEachProvider() throws Exception {
    Map<String, List<KycStatus>> journeys = Map.of(
        "vivamo", List.of(KycStatus.UNDER_REVIEW, KycStatus.VERIFIED),
        "sovera", List.of(KycStatus.PROCESSING, KycStatus.VERIFIED),
        "ripio", List.of(KycStatus.PENDING, KycStatus.PROCESSING, KycStatus.VERIFIED),
        "p100", List.of(KycStatus.PROCESSING, KycStatus.REJECTED),
        "ondato", List.of(KycStatus.PENDING, KycStatus.PROCESSING, KycStatus.VERIFIED));
    for (var journey : journeys.entrySet()) {
      String provider = journey.getKey();
      String customer = "full-" + provider;
      try (SseClient sse = hub.sse(key, "?customerId=" + customer, null)) {
        HttpResponse<Buffer> started = startAt(provider, customer);
        assertThat(started.statusCode()).as(provider + ": " + started.bodyAsString()).isEqualTo(201);
        assertThat(started.bodyAsJsonObject().getString("status")).isEqualTo("pending");
        if (!provider.equals("ripio") || started.bodyAsJsonObject().getString("url") != null) {
          assertThat(started.bodyAsJsonObject().getString("url")).as(provider + " link").isNotBlank();
        }
        List<Integer> answers = sims.get(provider).sequence("flow", customer, journey.getValue(), SequenceOptions.inOrder())
            .await(10, TimeUnit.SECONDS);
        assertThat(answers).as(provider).containsOnly(200);
        KycStatus last = journey.getValue().get(journey.getValue().size() - 1);
        JsonObject state = hub.awaitStatus(key, customer, last.wire());
        assertThat(state.getString("provider")).isEqualTo(provider);
        assertThat(state.getString("verificationId")).isEqualTo(started.bodyAsJsonObject().getString("verificationId"));
        // Deliveries are reconciled concurrently: an intermediate status that lands after a later one
        // is stale and makes no event, so only the first (the start) and the last event are certain.
        List<String> streamed = sse.await(2, 10_000).stream().map(e -> e.data().getString("status")).toList();
        long deadline = System.currentTimeMillis() + 5_000;
        while (!streamed.get(streamed.size() - 1).equals(last.wire()) && System.currentTimeMillis() < deadline) {
          Thread.sleep(20);
          streamed = sse.events.stream().map(e -> e.data().getString("status")).toList();
        }
        assertThat(streamed).as(provider).first().isEqualTo("pending");
        assertThat(streamed).as(provider).last().isEqualTo(last.wire());
        assertThat(streamed).as(provider).doesNotHaveDuplicates();
      }
    }
    assertThat(sims.vivamo().apiCalls()).isPositive();
    assertThat(sims.ondato().tokenCalls()).isEqualTo(1);
  }

  @Test
  void aManualDecisionIsForwardedToVivamo() throws Exception {
    assertThat(startAt("vivamo", "manual-v").statusCode()).isEqualTo(201);
    sims.vivamo().sendWebhook("flow", "manual-v", KycStatus.UNDER_REVIEW, null, java.time.Instant.now())
        .await(10, TimeUnit.SECONDS);
    hub.awaitStatus(key, "manual-v", "under_review");
    HttpResponse<Buffer> decided = hub.operator("POST", key, "/v1/customers/manual-v/kyc/decision",
        new JsonObject().put("verify", false).put("note", "selfie does not match"));
    assertThat(decided.statusCode()).as(decided.bodyAsString()).isEqualTo(200);
    assertThat(decided.bodyAsJsonObject().getString("forwarding")).isEqualTo("pending");
    // Telling Vivamo is the decision's follow-up, run right after the commit.
    long deadline = System.currentTimeMillis() + 10_000;
    while (sims.vivamo().customer("manual-v").orElseThrow().status() != KycStatus.REJECTED
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(sims.vivamo().customer("manual-v").orElseThrow().status()).isEqualTo(KycStatus.REJECTED);
    assertThat(sims.vivamo().customer("manual-v").orElseThrow().decidedBy()).isEqualTo(DecidedBy.OPERATOR);
    assertThat(hub.kyc(key, "manual-v").getString("decidedBy")).isEqualTo("operator");
  }

  @Test
  void aDroppedWebhookIsRecoveredByPolling() throws Exception {
    for (String provider : List.of("vivamo", "ripio", "p100", "ondato")) {
      String customer = "dropped-" + provider;
      assertThat(startAt(provider, customer).statusCode()).isEqualTo(201);
      sims.get(provider).setStatus(customer, KycStatus.VERIFIED, null);
    }
    for (String provider : List.of("vivamo", "ripio", "p100", "ondato")) {
      JsonObject state = hub.awaitStatus(key, "dropped-" + provider, "verified");
      assertThat(state.getString("decidedBy")).isEqualTo("provider");
    }
  }

  @Test
  void aProviderThatRefusesOrIsDownGetsAClearErrorAndNothingIsWritten() throws Exception {
    sims.p100().refuseAll(400);
    try {
      HttpResponse<Buffer> refused = startAt("p100", "down-1");
      assertThat(refused.statusCode()).isEqualTo(502);
      assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("provider_refused");
    } finally {
      sims.p100().clearFaults();
    }
    sims.ripio().failNext(10, 503);
    try {
      HttpResponse<Buffer> unavailable = startAt("ripio", "down-2");
      assertThat(unavailable.statusCode()).isEqualTo(503);
      assertThat(unavailable.bodyAsJsonObject().getString("error")).isEqualTo("provider_unavailable");
    } finally {
      sims.ripio().clearFaults();
    }
    sims.ripio().failNext(1, 502);
    assertThat(startAt("ripio", "retry-1").statusCode()).as("one 5xx is retried").isEqualTo(201);
    assertThat(hub.kyc(key, "down-1")).isNull();
    assertThat(hub.kyc(key, "down-2")).isNull();
    assertThat(hub.count("SELECT count(*) FROM verifications WHERE customer_id IN ('down-1', 'down-2')")).isZero();
    assertThat(hub.count("SELECT count(*) FROM events WHERE customer_id IN ('down-1', 'down-2')")).isZero();
  }

  private static HttpResponse<Buffer> startWithKey(String provider, String customer, String idempotencyKey) throws Exception {
    return hub.await(startWithKeyAsync(provider, customer, idempotencyKey));
  }

  private static Future<HttpResponse<Buffer>> startWithKeyAsync(String provider, String customer, String idempotencyKey) {
    return hub.operatorAsync("POST", key, "/v1/customers/" + customer + "/verifications",
        new JsonObject().put("provider", provider), Map.of("Idempotency-Key", idempotencyKey));
  }

  @Test
  void aRetriedStartWithTheSameIdempotencyKeyOpensOneProviderSession() throws Exception {
    int callsBefore = sims.p100().apiCalls();
    HttpResponse<Buffer> first = startWithKey("p100", "idem-1", "order-7781-kyc");
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
    int callsAfterFirst = sims.p100().apiCalls();
    assertThat(callsAfterFirst).isGreaterThan(callsBefore);

    HttpResponse<Buffer> retry = startWithKey("p100", "idem-1", "order-7781-kyc");
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(retry.getHeader("idempotent-replayed")).isEqualTo("true");
    assertThat(first.getHeader("idempotent-replayed")).isNull();
    assertThat(sims.p100().apiCalls()).as("no second call to the provider").isEqualTo(callsAfterFirst);
    assertThat(hub.count("SELECT count(*) FROM verifications WHERE customer_id = 'idem-1'")).isEqualTo(1);
    // the stored answer is sealed: neither its verification id nor its link is readable in the table
    String stored = new String(hub.sql("SELECT response FROM start_requests WHERE idempotency_key = 'order-7781-kyc'")
        .get(0).getBuffer(0).getBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(stored).doesNotContain(first.bodyAsJsonObject().getString("verificationId"));

    HttpResponse<Buffer> otherCustomer = startWithKey("p100", "idem-2", "order-7781-kyc");
    assertThat(otherCustomer.statusCode()).isEqualTo(422);
    assertThat(otherCustomer.bodyAsJsonObject().getString("error")).isEqualTo("idempotency_key_reused");
    HttpResponse<Buffer> otherProvider = startWithKey("ripio", "idem-1", "order-7781-kyc");
    assertThat(otherProvider.statusCode()).isEqualTo(422);

    HttpResponse<Buffer> newKey = startWithKey("p100", "idem-1", "order-7781-kyc-2");
    assertThat(newKey.statusCode()).isEqualTo(201);
    assertThat(newKey.bodyAsJsonObject().getString("verificationId"))
        .isNotEqualTo(first.bodyAsJsonObject().getString("verificationId"));
  }

  @Test
  void aStartStillRunningAnswers409ToItsRetryAndAFailedStartRunsAgain() throws Exception {
    sims.p100().stallNext(1, 1_500);
    try {
      Future<HttpResponse<Buffer>> slow = startWithKeyAsync("p100", "idem-slow", "slow-key");
      Thread.sleep(500);
      HttpResponse<Buffer> meanwhile = startWithKey("p100", "idem-slow", "slow-key");
      assertThat(meanwhile.statusCode()).isEqualTo(409);
      assertThat(meanwhile.bodyAsJsonObject().getString("error")).isEqualTo("request_in_progress");
      assertThat(meanwhile.getHeader("retry-after")).isEqualTo("1");
      HttpResponse<Buffer> done = hub.await(slow);
      assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(201);
      HttpResponse<Buffer> after = startWithKey("p100", "idem-slow", "slow-key");
      assertThat(after.statusCode()).isEqualTo(201);
      assertThat(after.bodyAsJsonObject().getString("verificationId"))
          .isEqualTo(done.bodyAsJsonObject().getString("verificationId"));
    } finally {
      sims.p100().clearFaults();
    }

    sims.p100().refuseAll(400);
    try {
      assertThat(startWithKey("p100", "idem-fail", "fail-key").statusCode()).isEqualTo(502);
    } finally {
      sims.p100().clearFaults();
    }
    HttpResponse<Buffer> again = startWithKey("p100", "idem-fail", "fail-key");
    assertThat(again.statusCode()).as("a failed start keeps no claim").isEqualTo(201);
    assertThat(again.getHeader("idempotent-replayed")).isNull();
  }

  @Test
  void aMalformedIdempotencyKeyIs400AndStartsNothing() throws Exception {
    int callsBefore = sims.p100().apiCalls();
    for (String bad : List.of("", "has space", "x".repeat(256), "caf\u00e9")) {
      HttpResponse<Buffer> r = startWithKey("p100", "idem-bad", bad);
      assertThat(r.statusCode()).as("key '%s'", bad).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    }
    assertThat(sims.p100().apiCalls()).isEqualTo(callsBefore);
    assertThat(hub.kyc(key, "idem-bad")).isNull();
  }
}
