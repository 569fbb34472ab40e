package io.kychub.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.Ids;
import io.kychub.model.InboundDelivery;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Row;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook route's order of checks (docs/decisions.md, "Order of checks"), over real HTTP
 * and a real inbox: what each refusal costs, what is stored, and what is not.
 */
class WebhookIngressHandlerTest {

  private static final String SECRET = "ingress-secret-0123456789";
  private static IngressHarness ingress;

  @BeforeAll
  static void start() throws Exception {
    // Three failed authentications a second per tenant and source: the failure test reaches it at once.
    ingress = IngressHarness.start(WebhookIngressHandlerTest.class, IngressHarness.Limits.defaults().withAuthFailures(3));
    ingress.tenant("acme", SECRET);
    ingress.tenant("forged-at", SECRET);
  }

  @AfterAll
  static void stop() throws Exception {
    ingress.close();
  }

  private static String p100(String user) {
    return new JsonObject().put("externalUserId", user).put("verificationStatus", "VERIFIED").encode();
  }

  private static String ripio(String submission, String customer, String source) {
    return new JsonObject().put("eventType", "KYC.COMPLETED").put("issueDatetime", "2026-03-12T14:22:22.508Z")
        .put("payload", new JsonObject().put("submissionId", submission).put("customerId", customer)
            .put("createdAt", "2026-03-12T14:22:22Z").put("source", source).put("metadata", new JsonObject()))
        .encode();
  }

  private static long rowsOf(String tenant) throws Exception {
    return ingress.count("SELECT count(*) FROM inbox WHERE tenant_id = $1", tenant);
  }

  @Test
  void anUnknownProviderIs404AndCostsNoLookup() throws Exception {
    int before = ingress.lookups();

    HttpResponse<Buffer> r = ingress.webhook("acme", "acmeid", "{}", IngressHarness.signed("ripio", SECRET, "{}"));

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    assertThat(ingress.lookups()).isEqualTo(before);
  }

  @Test
  void anUnknownTenantIs404AndCostsNoLookup() throws Exception {
    int before = ingress.lookups();

    HttpResponse<Buffer> unknown = ingress.signedWebhook("nobody", "sovera", SECRET, "{}");
    HttpResponse<Buffer> notAnId = ingress.signedWebhook("No_Such!", "sovera", SECRET, "{}");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    assertThat(notAnId.statusCode()).isEqualTo(404);
    assertThat(ingress.lookups()).isEqualTo(before);
  }

  @Test
  void aDeclaredLengthOverTheLimitIs413BeforeTheBodyIsRead() throws Exception {
    int before = ingress.lookups();
    int declared = IngressHarness.Limits.defaults().maxBodyBytes() + 1;
    try (Socket socket = new Socket("127.0.0.1", ingress.port())) {
      // Far less than the body timeout (10 s): the answer must come without a byte of the body.
      socket.setSoTimeout(3_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /webhooks/acme/ripio HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();

      assertThat(statusLine(socket.getInputStream())).startsWith("HTTP/1.1 413");
    }
    assertThat(ingress.lookups()).as("refused before the tenant is looked up").isEqualTo(before);
  }

  /** The first line of the answer, read byte by byte (the body that follows does not matter). */
  private static String statusLine(InputStream in) throws Exception {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII).trim();
  }

  @Test
  void aBadSignatureIs401AndCountsAgainstItsSource() throws Exception {
    // The forger sends from 127.0.0.2, the real provider from 127.0.0.1.
    WebClient forger = WebClient.create(ingress.vertx, new WebClientOptions().setLocalAddress("127.0.0.2"));
    try {
      for (int i = 0; i < 3; i++) {
        String body = p100("forged-" + i);
        HttpResponse<Buffer> forged = post(forger, "forged-at", "p100", body, IngressHarness.signed("p100", "not-the-secret", body));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
      }
      String good = p100("real-from-the-forger");
      HttpResponse<Buffer> throttled = post(forger, "forged-at", "p100", good, IngressHarness.signed("p100", SECRET, good));
      assertThat(throttled.statusCode()).as("the source used up its failures").isEqualTo(429);
    } finally {
      forger.close();
    }
    assertThat(ingress.signedWebhook("forged-at", "p100", SECRET, p100("real-1")).statusCode())
        .as("another source of the same tenant").isEqualTo(200);
    assertThat(ingress.count("SELECT count(*) FROM inbox WHERE convert_from(body, 'UTF8') LIKE '%forged-%'")).isZero();
  }

  private static HttpResponse<Buffer> post(WebClient client, String tenant, String provider, String body,
      Map<String, String> headers) throws Exception {
    return IngressHarness.await(client.postAbs(ingress.base() + "/webhooks/" + tenant + "/" + provider)
        .putHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers)).sendBuffer(Buffer.buffer(body)));
  }

  @Test
  void aBodyIsAuthenticatedBeforeItIsParsed() throws Exception {
    HttpResponse<Buffer> r = ingress.webhook("acme", "ripio", "this is not json",
        IngressHarness.signed("ripio", "not-the-secret", "this is not json"));

    assertThat(r.statusCode()).as("unauthenticated: 401, not the 400 of a malformed body").isEqualTo(401);
  }

  @Test
  void anAuthenticatedBodyThatIsNotTheProvidersIs400AndNotStored() throws Exception {
    long before = rowsOf("acme");

    HttpResponse<Buffer> notJson = ingress.signedWebhook("acme", "ripio", SECRET, "this is not json");
    HttpResponse<Buffer> noSubject = ingress.signedWebhook("acme", "sovera", SECRET, "{\"status\":\"verified\"}");

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(notJson.bodyAsJsonObject().getString("message")).isEqualTo("ripio webhook body is not valid JSON");
    assertThat(noSubject.statusCode()).isEqualTo(400);
    assertThat(noSubject.bodyAsJsonObject().getString("message")).contains("sovera").contains("metadata.userId");
    assertThat(rowsOf("acme")).isEqualTo(before);
  }

  @Test
  void aSubjectIdWithAControlCharacterIs400AndNotStored() throws Exception {
    long before = rowsOf("acme");
    String nul = "{\"externalUserId\":\"evil\\u0000id\",\"verificationStatus\":\"VERIFIED\"}";
    String tab = "{\"externalUserId\":\"evil\\tid\",\"verificationStatus\":\"VERIFIED\"}";

    for (String body : List.of(nul, tab)) {
      HttpResponse<Buffer> r = ingress.signedWebhook("acme", "p100", SECRET, body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("message")).isEqualTo(Ids.SUBJECT_RULE);
    }
    assertThat(rowsOf("acme")).isEqualTo(before);
  }

  @Test
  void aSubjectIdOver128CharactersIs400AndOneOf128IsStored() throws Exception {
    long before = rowsOf("acme");

    HttpResponse<Buffer> tooLong = ingress.signedWebhook("acme", "p100", SECRET, p100("y".repeat(129)));
    HttpResponse<Buffer> longest = ingress.signedWebhook("acme", "p100", SECRET, p100("z".repeat(128)));

    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.bodyAsJsonObject().getString("message")).isEqualTo(Ids.SUBJECT_RULE);
    assertThat(longest.statusCode()).isEqualTo(200);
    assertThat(rowsOf("acme")).isEqualTo(before + 1);
  }

  @Test
  void theSameIdempotencyKeyTwiceIs200TwiceWithOneInboxRowAndOneDelivery() throws Exception {
    String submission = "sub-" + UUID.randomUUID();
    // Ripio's key is submission, event and issue time: a resend that differs elsewhere is the same delivery.
    HttpResponse<Buffer> first = ingress.signedWebhook("acme", "ripio", SECRET, ripio(submission, "dup-1", "WIDGET"));
    HttpResponse<Buffer> second = ingress.signedWebhook("acme", "ripio", SECRET, ripio(submission, "dup-1", "API"));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject().getBoolean("duplicate")).isFalse();
    assertThat(second.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
    assertThat(ingress.count("SELECT count(*) FROM inbox WHERE idempotency_key = $1",
        "p:" + submission + "|KYC.COMPLETED|2026-03-12T14:22:22.508Z")).isEqualTo(1);
    Thread.sleep(200);
    assertThat(ingress.delivered).filteredOn(d -> new String(d.body(), StandardCharsets.UTF_8).contains(submission))
        .hasSize(1);
  }

  @Test
  void anAcceptedDeliveryIsStoredBeforeItsAnswerThenHandedToItsAdapter() throws Exception {
    String body = p100("stored-" + UUID.randomUUID());

    HttpResponse<Buffer> r = ingress.signedWebhook("acme", "p100", SECRET, body);

    assertThat(r.statusCode()).isEqualTo(200);
    List<Row> rows = ingress.sql("SELECT id FROM inbox WHERE body = $1", Buffer.buffer(body));
    assertThat(rows).as("committed when the 200 is sent").hasSize(1);
    long id = rows.get(0).getLong(0);
    long deadline = System.currentTimeMillis() + 5_000;
    while (ingress.delivered.stream().noneMatch(d -> d.deliveryId() == id) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    InboundDelivery delivery = ingress.delivered.stream().filter(d -> d.deliveryId() == id).findFirst().orElseThrow();
    assertThat(delivery.tenantId()).isEqualTo("acme");
    assertThat(delivery.provider()).isEqualTo("p100");
    assertThat(new String(delivery.body(), StandardCharsets.UTF_8)).isEqualTo(body);
  }

  @Test
  void onlyTheKeptHeadersAreStoredNeverAuthorization() throws Exception {
    String body = p100("headers-" + UUID.randomUUID());
    Map<String, String> headers = new HashMap<>(IngressHarness.signed("p100", SECRET, body));
    assertThat(headers).containsKey("Authorization");
    headers.put("user-agent", "p100-webhooks/2.1");
    headers.put("webhook-id", "msg_kept");
    headers.put("webhook-timestamp", "1767225600");
    headers.put("cookie", "session=secret");
    headers.put("x-forwarded-for", "198.51.100.7");

    assertThat(ingress.webhook("acme", "p100", body, headers).statusCode()).isEqualTo(200);

    JsonObject stored = new JsonObject(ingress.sql("SELECT headers::text FROM inbox WHERE body = $1", Buffer.buffer(body))
        .get(0).getString(0));
    assertThat(stored.getMap()).containsOnly(
        Map.entry("content-type", "application/json"),
        Map.entry("user-agent", "p100-webhooks/2.1"),
        Map.entry("webhook-id", "msg_kept"),
        Map.entry("webhook-timestamp", "1767225600"));
    assertThat(stored.encode()).doesNotContain(SECRET);
  }
}
