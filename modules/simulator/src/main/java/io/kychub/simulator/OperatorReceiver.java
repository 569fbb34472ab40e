package io.kychub.simulator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An operator's backend as the demo plays it: takes the hub's operator webhooks at
 * {@code POST /webhooks/kyc}, checks each one's Standard Webhooks signature the way an operator
 * would, drops repeats by {@code webhook-id}, and prints one line per delivery. {@code GET
 * /received} lists the last 100 (verified or not). Answers 204 to a delivery it verified, 401 to
 * one it did not.
 */
public final class OperatorReceiver extends VerticleBase {

  /** How far a delivery's {@code webhook-timestamp} may be from now (the Standard Webhooks default). */
  public static final long TOLERANCE_SECONDS = 300;
  private static final int KEPT = 100;

  private final int port;
  private final Consumer<String> out;
  private final Deque<JsonObject> received = new ArrayDeque<>();
  private final Set<String> seenIds = new LinkedHashSet<>();
  private volatile String secret;
  private HttpServer server;

  /** @param port 0 for a free one; {@code out} gets one line per delivery */
  public OperatorReceiver(int port, Consumer<String> out) {
    this.port = port;
    this.out = out;
  }

  /** The endpoint's secret ({@code whsec_...}) as the hub showed it when the endpoint was created. */
  public void useSecret(String whsec) {
    this.secret = whsec;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer()
        .requestHandler(request -> {
          if ("/webhooks/kyc".equals(request.path()) && request.method().name().equals("POST")) {
            request.body().onSuccess(body -> take(request, body.toString(StandardCharsets.UTF_8)));
          } else if ("/received".equals(request.path())) {
            request.response().putHeader("content-type", "application/json")
                .end(new JsonObject().put("received", new JsonArray(new java.util.ArrayList<>(received))).encodePrettily());
          } else {
            request.response().setStatusCode(404).end();
          }
        })
        .listen(port, "127.0.0.1")
        .onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** Where the hub should deliver to. */
  public String url() {
    return "http://127.0.0.1:" + actualPort() + "/webhooks/kyc";
  }

  private void take(HttpServerRequest request, String body) {
    String id = request.getHeader("webhook-id");
    String timestamp = request.getHeader("webhook-timestamp");
    String signatures = request.getHeader("webhook-signature");
    String problem = check(secret, id, timestamp, signatures, body, Instant.now());
    boolean repeat = problem == null && !remember(id);
    JsonObject event = parse(body);
    JsonObject entry = new JsonObject().put("webhookId", id).put("verified", problem == null).put("repeat", repeat)
        .put("problem", problem).put("event", event);
    synchronized (received) {
      received.addFirst(entry);
      while (received.size() > KEPT) {
        received.removeLast();
      }
    }
    String about = event == null ? "a body that is not JSON"
        : "event " + event.getString("id") + ": " + event.getString("customerId") + " is " + event.getString("status");
    out.accept("operator receiver: " + (problem == null ? "signature verified" : "REFUSED (" + problem + ")")
        + (repeat ? ", a repeat of " + id + " (already handled)" : ", " + id) + ", " + about);
    request.response().setStatusCode(problem == null ? 204 : 401).end();
  }

  private boolean remember(String id) {
    synchronized (seenIds) {
      if (!seenIds.add(id)) {
        return false;
      }
      if (seenIds.size() > 10_000) {
        seenIds.remove(seenIds.iterator().next());
      }
      return true;
    }
  }

  private static JsonObject parse(String body) {
    try {
      return new JsonObject(body);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * What an operator's receiver does with a delivery: null when one of the {@code v1,} signatures
   * in {@code signatures} is the HMAC-SHA256, under the secret's bytes, of {@code id.timestamp.body}
   * and the timestamp is within {@link #TOLERANCE_SECONDS} of {@code now}; else why not.
   */
  public static String check(String whsec, String id, String timestamp, String signatures, String body, Instant now) {
    if (whsec == null) {
      return "no secret configured yet";
    }
    if (id == null || timestamp == null || signatures == null) {
      return "missing webhook-id, webhook-timestamp or webhook-signature";
    }
    long sentAt;
    try {
      sentAt = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return "webhook-timestamp is not a number";
    }
    if (Math.abs(now.getEpochSecond() - sentAt) > TOLERANCE_SECONDS) {
      return "webhook-timestamp is more than " + TOLERANCE_SECONDS + " s from now";
    }
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(whsec.substring(whsec.indexOf('_') + 1)), "HmacSHA256"));
      expected = Base64.getEncoder().encode(mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "the secret is not a whsec_ secret";
    }
    for (String signature : signatures.split(" ")) {
      if (signature.startsWith("v1,")
          && MessageDigest.isEqual(expected, signature.substring(3).getBytes(StandardCharsets.US_ASCII))) {
        return null;
      }
    }
    return "no signature matches";
  }
}
