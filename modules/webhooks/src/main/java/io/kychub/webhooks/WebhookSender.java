package io.kychub.webhooks;

import io.kychub.model.Addresses;
import io.kychub.model.RecordCodec;
import io.kychub.model.StatusChangedEvent;
import io.kychub.store.AuditStore;
import io.kychub.store.WebhookStore;
import io.kychub.store.WebhookStore.AttemptOutcome;
import io.kychub.store.WebhookStore.Claimed;
import io.kychub.store.WebhookStore.Sendable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers operator webhooks, on every node. Two loops on this verticle's context:
 *
 * <ul>
 *   <li><b>fan-in</b>: the events of tenants with endpoints become deliveries, from the event
 *       log past each endpoint's cursor ({@link WebhookStore#fanIn}); run for a tenant as soon as
 *       one of its events is published, and for all every few seconds (so a lost message delays
 *       nothing for long);
 *   <li><b>sending</b>: claims due deliveries (never one whose customer has an earlier event still
 *       pending for the endpoint), posts each with Standard Webhooks headers to an address it has
 *       just checked is allowed, and records the attempt: delivered on any 2xx within the timeout,
 *       else due again by the {@link RetrySchedule}, then failed. An endpoint that has failed, and
 *       only failed, for {@code disableAfter} is disabled, with an audit entry.
 * </ul>
 *
 * At most {@link #IN_FLIGHT} requests are in flight on a node and {@link #PER_ENDPOINT} to one
 * endpoint, each endpoint on connections of its own, so a slow or dead endpoint takes only its own
 * share; requests time out, redirects are
 * not followed, and no more than the first KiB of an answer is read. A delivery claimed by a node
 * that dies is claimed again once its lease runs out: at least once, never lost.
 */
public final class WebhookSender extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  static final int IN_FLIGHT = 256;
  static final int PER_ENDPOINT = 16;
  static final int FAN_IN_BATCH = 500;
  static final int RESPONSE_BYTES = 1024;
  private static final long TICK_MILLIS = 200;
  private static final long FULL_FAN_IN_MILLIS = 5_000;
  private static final long GAUGES_MILLIS = 10_000;
  private static final long PURGE_MILLIS = 60_000;
  private static final long CLIENT_IDLE_MILLIS = 60_000;
  static final Duration KEEP_ATTEMPTS = Duration.ofDays(30);

  /** Settings: whether private targets are allowed, the retry scale, when a failing endpoint is disabled, the timeout. */
  public record Settings(TargetPolicy policy, RetrySchedule retries, Duration disableAfter, long timeoutMillis) {}

  private final WebhookStore store;
  private final AuditStore audit;
  private final Resolver resolverOrNull;
  private final Settings settings;
  private final MeterRegistry registry;
  private final Map<String, Counter> outcomes = new HashMap<>();
  private final Map<String, Integer> inFlightByEndpoint = new HashMap<>();
  private final Map<String, Double> lagSeconds = new ConcurrentHashMap<>();
  private final Set<String> dirtyTenants = new LinkedHashSet<>();
  private Resolver resolver;
  private Counter disabled;
  private Timer latency;
  private final Map<String, EndpointClient> clients = new HashMap<>();
  private HttpClientOptions clientOptions;
  private int inFlight;
  private boolean claiming;
  private boolean claimAgain;
  private boolean fanningIn;
  private long lastFullFanIn;
  /** When retries this node scheduled fall due (a claim then). */
  private final java.util.PriorityQueue<Long> retriesDue = new java.util.PriorityQueue<>();

  /** @param resolverOrNull null for the JVM's resolver */
  public WebhookSender(WebhookStore store, AuditStore audit, Resolver resolverOrNull, Settings settings, MeterRegistry registry) {
    this.store = store;
    this.audit = audit;
    this.resolverOrNull = resolverOrNull;
    this.settings = settings;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    RecordCodec.registerAll(vertx.eventBus());
    resolver = resolverOrNull != null ? resolverOrNull : Resolver.system(vertx);
    clientOptions = new HttpClientOptions().setConnectTimeout((int) Math.min(settings.timeoutMillis(), 5_000))
        .setKeepAlive(true).setIdleTimeout(30).setIdleTimeoutUnit(TimeUnit.SECONDS);
    disabled = Counter.builder("kyc.webhook.endpoints.disabled")
        .description("endpoints disabled because every attempt failed for too long").register(registry);
    latency = Timer.builder("kyc.webhook.attempt").description("operator webhook attempts, request to answer")
        .publishPercentileHistogram(false).register(registry);
    vertx.eventBus().<StatusChangedEvent>consumer(Addresses.EVENTS, m -> dirtyTenants.add(m.body().tenantId()));
    vertx.setPeriodic(TICK_MILLIS, id -> tick());
    vertx.setPeriodic(GAUGES_MILLIS, id -> updateLag());
    vertx.setPeriodic(CLIENT_IDLE_MILLIS, id -> closeIdleClients());
    vertx.setPeriodic(PURGE_MILLIS, id -> store.purgeOlderThan(Instant.now().minus(KEEP_ATTEMPTS), 1_000)
        .onFailure(err -> LOG.debug("webhook attempts not purged: {}", err.getMessage())));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> closed = new ArrayList<>();
    clients.values().forEach(c -> closed.add(c.client().close()));
    clients.clear();
    return Future.join(closed);
  }

  /**
   * Each endpoint gets its own client and so its own connections (at most {@link #PER_ENDPOINT}):
   * endpoints on one host never wait for each other's connections.
   */
  private HttpClient clientOf(String endpointId) {
    EndpointClient c = clients.computeIfAbsent(endpointId, id -> new EndpointClient(vertx.createHttpClient(clientOptions,
        new PoolOptions().setHttp1MaxSize(PER_ENDPOINT).setMaxWaitQueueSize(IN_FLIGHT))));
    c.lastUsed = System.currentTimeMillis();
    return c.client();
  }

  private void closeIdleClients() {
    long before = System.currentTimeMillis() - CLIENT_IDLE_MILLIS;
    clients.entrySet().removeIf(e -> {
      boolean idle = !inFlightByEndpoint.containsKey(e.getKey()) && e.getValue().lastUsed < before;
      if (idle) {
        e.getValue().client().close();
      }
      return idle;
    });
  }

  /** An endpoint's client and when it was last used. */
  private static final class EndpointClient {
    private final HttpClient client;
    private long lastUsed;

    EndpointClient(HttpClient client) {
      this.client = client;
    }

    HttpClient client() {
      return client;
    }
  }

  /**
   * Every {@link #TICK_MILLIS}: the fan-in of the tenants that had events, a claim when it made
   * deliveries or a retry of this node is due; every {@link #FULL_FAN_IN_MILLIS} a full fan-in and
   * a claim whatever happened (deliveries of other nodes' leases that ran out). An idle hub asks
   * the database nothing more often than that.
   */
  private void tick() {
    boolean full = System.currentTimeMillis() - lastFullFanIn > FULL_FAN_IN_MILLIS;
    long now = System.currentTimeMillis();
    boolean retryDue = false;
    while (!retriesDue.isEmpty() && retriesDue.peek() <= now) {
      retriesDue.poll();
      retryDue = true;
    }
    boolean due = full || retryDue;
    fanIn(full).onComplete(ar -> {
      if (due || ar.succeeded() && ar.result() > 0) {
        claim();
      }
    });
  }

  /** Runs the fan-in for the tenants that had events since the last tick, or for all; the deliveries it made. */
  private Future<Integer> fanIn(boolean full) {
    if (fanningIn || !full && dirtyTenants.isEmpty()) {
      return Future.succeededFuture(0);
    }
    fanningIn = true;
    Future<List<String>> tenants;
    if (full) {
      lastFullFanIn = System.currentTimeMillis();
      dirtyTenants.clear();
      tenants = store.tenantsWithEndpoints();
    } else {
      tenants = Future.succeededFuture(new ArrayList<>(dirtyTenants));
      dirtyTenants.clear();
    }
    return tenants.compose(t -> fanInUntilCaughtUp(t, 0))
        .onComplete(ar -> {
          fanningIn = false;
          if (ar.failed()) {
            LOG.warn("webhook fan-in failed: {}", ar.cause().getMessage());
          }
        })
        .otherwise(0);
  }

  private Future<Integer> fanInUntilCaughtUp(List<String> tenants, int made) {
    if (tenants.isEmpty()) {
      return Future.succeededFuture(made);
    }
    return store.fanIn(tenants, FAN_IN_BATCH).compose(n -> n >= FAN_IN_BATCH ? fanInUntilCaughtUp(tenants, made + n)
        : Future.succeededFuture(made + n));
  }

  /** Claims as many due deliveries as there is room for, and sends them. */
  private void claim() {
    if (claiming) {
      // Asked while a claim runs: claim again after it, it may have missed what made this one.
      claimAgain = true;
      return;
    }
    if (inFlight >= IN_FLIGHT) {
      return;
    }
    claiming = true;
    claimAgain = false;
    List<String> busy = new ArrayList<>();
    inFlightByEndpoint.forEach((endpoint, n) -> {
      if (n >= PER_ENDPOINT) {
        busy.add(endpoint);
      }
    });
    long lease = settings.timeoutMillis() + 30_000;
    store.claim(Math.min(PER_ENDPOINT * 4, IN_FLIGHT - inFlight), lease, busy)
        .compose(store::sendable)
        .onComplete(ar -> {
          claiming = false;
          if (ar.failed()) {
            LOG.warn("webhook claim failed: {}", ar.cause().getMessage());
            return;
          }
          ar.result().forEach(this::send);
          // Something was claimed (more may be due) or a claim was asked for meanwhile.
          if ((claimAgain || !ar.result().isEmpty()) && inFlight < IN_FLIGHT) {
            vertx.runOnContext(v -> claim());
          }
        });
  }

  private void send(Sendable s) {
    Claimed c = s.delivery();
    inFlight++;
    inFlightByEndpoint.merge(c.endpointId(), 1, Integer::sum);
    long started = System.nanoTime();
    attempt(s).onComplete(ar -> {
      inFlight--;
      inFlightByEndpoint.computeIfPresent(c.endpointId(), (k, n) -> n <= 1 ? null : n - 1);
      int millis = (int) ((System.nanoTime() - started) / 1_000_000);
      latency.record(millis, TimeUnit.MILLISECONDS);
      Answer answer = ar.succeeded() ? ar.result() : new Answer(null, null, describe(ar.cause()));
      AttemptOutcome outcome = new AttemptOutcome(answer.status(), millis, answer.excerpt(), answer.error());
      Future<Void> recorded;
      if (answer.status() != null && answer.status() / 100 == 2) {
        count("delivered");
        recorded = store.delivered(c, outcome);
      } else {
        Long retryAfter = settings.retries().afterAttempt(c.attempt());
        count(retryAfter == null ? "failed" : "retrying");
        recorded = store.notDelivered(c, outcome, retryAfter).compose(v -> disableIfFailingTooLong(c));
        if (retryAfter != null) {
          retriesDue.add(System.currentTimeMillis() + retryAfter);
        }
      }
      recorded.onComplete(r -> {
        if (r.failed()) {
          // The lease runs out and the delivery is tried again: at least once.
          LOG.warn("webhook attempt of {} not recorded: {}", c.endpointId(), r.cause().getMessage());
        }
        claim();
      });
    });
  }

  /** What an endpoint answered (status and the first KiB), or why there was no answer. */
  record Answer(Integer status, String excerpt, String error) {}

  private Future<Answer> attempt(Sendable s) {
    Claimed c = s.delivery();
    URI uri;
    try {
      uri = new URI(s.url());
    } catch (java.net.URISyntaxException e) {
      return Future.succeededFuture(new Answer(null, null, "the endpoint's url is not valid"));
    }
    String host = uri.getHost();
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return resolver.resolve(host)
        .recover(err -> Future.failedFuture(new Refused("the host " + host + " does not resolve")))
        .compose(addresses -> {
          var refusal = settings.policy().checkUrl(s.url()).or(() -> settings.policy().checkAddresses(host, addresses));
          if (refusal.isPresent()) {
            return Future.failedFuture(new Refused(refusal.get()));
          }
          return post(s, c, host, port, path, tls, addresses.get(0));
        });
  }

  private Future<Answer> post(Sendable s, Claimed c, String host, int port, String path, boolean tls, InetAddress address) {
    String id = webhookId(c.endpointId(), c.eventSeq());
    Instant now = Instant.now();
    long timestamp = now.getEpochSecond();
    byte[] body = s.event().toBuffer().getBytes();
    // Connects to the address just checked; the Host header and TLS name are the endpoint's host.
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
        .setHost(host).setPort(port).setURI(path).setSsl(tls).setFollowRedirects(false)
        .setConnectTimeout(settings.timeoutMillis()).setTimeout(settings.timeoutMillis())
        .putHeader("content-type", "application/json")
        .putHeader("user-agent", "kyc-hub-webhooks")
        .putHeader("webhook-id", id)
        .putHeader("webhook-timestamp", Long.toString(timestamp))
        .putHeader("webhook-signature", Signatures.header(s.secrets(), id, timestamp, body, now));
    return clientOf(c.endpointId()).request(options).compose(request -> {
      // The timeout bounds the whole exchange, also an answer that trickles in byte by byte.
      boolean[] late = {false};
      long deadline = vertx.setTimer(settings.timeoutMillis(), t -> {
        late[0] = true;
        request.reset();
      });
      return request.send(Buffer.buffer(body)).compose(this::read)
          .recover(err -> Future.failedFuture(late[0]
              ? new Unanswered("no complete answer within the timeout of " + settings.timeoutMillis() + " ms") : err))
          .onComplete(ar -> vertx.cancelTimer(deadline));
    });
  }

  /** The status and at most the first KiB of the answer; the rest is read and dropped. */
  private Future<Answer> read(HttpClientResponse response) {
    Buffer excerpt = Buffer.buffer();
    response.handler(chunk -> {
      int room = RESPONSE_BYTES - excerpt.length();
      if (room > 0) {
        excerpt.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
      }
    });
    return response.end().map(v -> new Answer(response.statusCode(), printable(excerpt), null));
  }

  private Future<Void> disableIfFailingTooLong(Claimed c) {
    return store.disableIfFailingSince(c.endpointId(), Instant.now().minus(settings.disableAfter())).compose(tenant -> {
      if (tenant.isEmpty()) {
        return Future.succeededFuture();
      }
      disabled.increment();
      LOG.warn("webhook endpoint {} of {} disabled: every attempt failed for {}", c.endpointId(), tenant.get(),
          settings.disableAfter());
      return audit.record("hub", "webhook.endpoint.disable", "webhook-endpoint:" + tenant.get() + "/" + c.endpointId(),
          new JsonObject().put("reason", "failed for " + settings.disableAfter()));
    });
  }

  private void updateLag() {
    store.oldestPending().onSuccess(oldest -> {
      Instant now = Instant.now();
      lagSeconds.keySet().retainAll(oldest.keySet());
      oldest.forEach((endpoint, since) -> {
        boolean known = lagSeconds.containsKey(endpoint);
        lagSeconds.put(endpoint, Math.max(0, Duration.between(since, now).toMillis() / 1000.0));
        if (!known) {
          Gauge.builder("kyc.webhook.lag", lagSeconds, m -> m.getOrDefault(endpoint, 0.0))
              .description("age of the oldest event not yet delivered to the endpoint").baseUnit("seconds")
              .tag("endpoint", endpoint).register(registry);
        }
      });
    });
  }

  /** The same on every attempt of one event to one endpoint: receivers deduplicate by it. */
  public static String webhookId(String endpointId, long eventSeq) {
    return "msg_" + endpointId + "_" + eventSeq;
  }

  private void count(String outcome) {
    outcomes.computeIfAbsent(outcome, o -> Counter.builder("kyc.webhook.deliveries")
        .description("operator webhook attempts by outcome").tag("outcome", o).register(registry)).increment();
  }

  private static String describe(Throwable err) {
    if (err instanceof Refused || err instanceof Unanswered) {
      return err.getMessage();
    }
    String message = err.getMessage();
    return err.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String printable(Buffer excerpt) {
    return excerpt.length() == 0 ? null : excerpt.toString(java.nio.charset.StandardCharsets.UTF_8).replace('\u0000', ' ');
  }

  /** The target was not allowed (policy) or could not be resolved: no request was made. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** The endpoint did not answer completely within the timeout. */
  static final class Unanswered extends RuntimeException {
    Unanswered(String message) {
      super(message, null, false, false);
    }
  }

  /** Endpoints with requests in flight on this node (for tests). */
  Set<String> busyEndpoints() {
    return new HashSet<>(inFlightByEndpoint.keySet());
  }
}
