package io.kychub.simulator;

import io.kychub.model.DecidedBy;
import io.kychub.model.KycStatus;
import io.kychub.model.ProviderApiSettings;
import io.kychub.model.Reason;
import io.kychub.providers.ProviderAdapter;
import io.kychub.providers.api.HttpCalls;
import io.kychub.providers.auth.WebhookSigner;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A simulated provider: a small HTTP server (deploy it as a verticle) that serves the provider's
 * API with the authentication it expects, keeps each customer's status in memory, and sends the
 * provider's webhooks to the hub, signed with {@link WebhookSigner}. Subclasses add the API
 * routes and the provider's webhook body; this class holds the state, the hub targets, the
 * control endpoints under {@code /_sim} and the injected API failures.
 */
public abstract class ProviderSimulator extends VerticleBase {

  private static final long WEBHOOK_TIMEOUT_MILLIS = 10_000;

  private final ProviderAdapter adapter;
  protected final SimulatorConfig config;
  private final ConcurrentMap<String, SimCustomer> customers = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, HubTarget> targets = new ConcurrentHashMap<>();
  private final Faults faults = new Faults();
  private final AtomicInteger apiCalls = new AtomicInteger();
  private volatile HttpServer server;
  private volatile WebClient webhooks;

  protected ProviderSimulator(ProviderAdapter adapter, SimulatorConfig config) {
    this.adapter = adapter;
    this.config = config;
  }

  /** The provider name ({@code vivamo}, {@code ondato} ...). */
  public String name() {
    return adapter.name();
  }

  /** The canonical statuses this provider can report (in webhooks and, where it has one, its status API). */
  public abstract Set<KycStatus> statuses();

  /** The provider API routes, behind authentication each route checks itself. */
  protected abstract void apiRoutes(Router router);

  /**
   * The provider's webhook body for the customer's current status.
   *
   * @param deliveryId unique per delivery (Ondato's envelope id)
   */
  protected abstract JsonObject webhookBody(SimCustomer customer, Instant at, String deliveryId);

  /** The provider's id for a new customer's verification, or null when it has none. */
  protected String newReference() {
    return null;
  }

  /** The API settings a tenant's credential needs to use this simulator. */
  public ProviderApiSettings apiSettings() {
    return new ProviderApiSettings(baseUrl(), config.apiKey(), null, null, null, null);
  }

  @Override
  public Future<?> start() {
    webhooks = WebClient.create(vertx, new WebClientOptions().setUserAgent("kyc-simulator/" + name()),
        new PoolOptions().setHttp1MaxSize(32));
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create().setBodyLimit(1024 * 1024));
    ControlRoutes.mount(router, this);
    router.route().handler(this::injectFaults);
    router.get("/verify/*").handler(this::verificationPage);
    apiRoutes(router);
    return vertx.createHttpServer().requestHandler(router).listen(config.port(), config.host())
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    if (webhooks != null) {
      webhooks.close();
    }
    return server == null ? Future.succeededFuture() : server.shutdown(1, TimeUnit.SECONDS);
  }

  /** The port it listens on (after deployment). */
  public int port() {
    if (server == null) {
      throw new IllegalStateException(name() + " simulator is not started");
    }
    return server.actualPort();
  }

  public String baseUrl() {
    String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
    return "http://" + host + ":" + port();
  }

  // ---- hub targets and webhooks ----

  /** Sends this tenant's webhooks to {@code target}; replaces an earlier target of the tenant. */
  public void addTarget(HubTarget target) {
    target.effective(adapter.defaultAuth());
    targets.put(target.tenant(), target);
  }

  /**
   * Sets the customer's status (as a provider decision) and sends the webhook that reports it.
   *
   * @param reason null for none (the provider's own words are used for a rejection)
   * @param at the provider's time of the change, written into the payload where the provider has one
   * @return the hub's HTTP status
   */
  public Future<Integer> sendWebhook(String tenant, String customerId, KycStatus status, Reason reason, Instant at) {
    return attempt(() -> {
      HubTarget target = target(tenant);
      SimCustomer customer = record(customerId, status, DecidedBy.PROVIDER, reason, at);
      return deliver(target, delivery(customer, at));
    });
  }

  /**
   * Sends one webhook per status for a customer, each stamped one second after the previous,
   * optionally shuffled and with byte-identical duplicates; one at a time, waiting for each answer.
   * The customer's status ends as the last of {@code statuses}.
   *
   * @return the hub's HTTP statuses in delivery order
   */
  public Future<List<Integer>> sequence(String tenant, String customerId, List<KycStatus> statuses,
      SequenceOptions options) {
    return attempt(() -> {
      HubTarget target = target(tenant);
      Instant start = options.start() != null ? options.start() : Instant.now().minusSeconds(statuses.size());
      List<Delivery> deliveries = new ArrayList<>();
      for (int i = 0; i < statuses.size(); i++) {
        Instant at = start.plusSeconds(i);
        deliveries.add(delivery(record(customerId, statuses.get(i), DecidedBy.PROVIDER, null, at), at));
      }
      return sendAll(target, deliveryOrder(deliveries, options));
    });
  }

  /** Sets the customer's status without telling the hub: a dropped webhook, for polling. */
  public SimCustomer setStatus(String customerId, KycStatus status, Reason reason) {
    return record(customerId, status, DecidedBy.PROVIDER, reason, Instant.now());
  }

  public Optional<SimCustomer> customer(String customerId) {
    return Optional.ofNullable(customers.get(customerId));
  }

  // ---- injected failures ----

  /** The next {@code times} API requests are answered {@code status} (e.g. 503), then it recovers. */
  public void failNext(int times, int status) {
    faults.failNext(times, status);
  }

  /** Every API request is answered {@code status} (e.g. 403) until {@link #clearFaults}. */
  public void refuseAll(int status) {
    faults.refuseAll(status);
  }

  /** The next {@code times} API requests wait {@code millis} before being served (client timeouts). */
  public void stallNext(int times, long millis) {
    faults.stallNext(times, millis);
  }

  public void clearFaults() {
    faults.clear();
  }

  /** API requests received so far (control endpoints not counted). */
  public int apiCalls() {
    return apiCalls.get();
  }

  // ---- for subclasses ----

  /** The customer, created pending with a new reference when the provider sees it first. */
  protected SimCustomer open(String customerId) {
    return open(customerId, Instant.now());
  }

  /** As {@link #open(String)}; a customer first seen through a change at {@code at} was created then. */
  private SimCustomer open(String customerId, Instant at) {
    Instant created = at.isBefore(Instant.now()) ? at : Instant.now();
    return customers.computeIfAbsent(customerId,
        id -> new SimCustomer(id, newReference(), KycStatus.PENDING, DecidedBy.PROVIDER, null, created, created));
  }

  protected Optional<SimCustomer> customerByReference(String reference) {
    return customers.values().stream().filter(c -> reference.equals(c.reference())).findFirst();
  }

  /** Records a status change; the status must be one this provider can report. */
  protected SimCustomer record(String customerId, KycStatus status, DecidedBy decidedBy, Reason reason, Instant at) {
    if (!statuses().contains(status)) {
      throw new IllegalArgumentException(name() + " has no status that means " + status.wire());
    }
    open(customerId, at);
    return customers.computeIfPresent(customerId, (id, c) -> c.withStatus(status, decidedBy, reason, at));
  }

  /** The link a customer is sent to: a page of this simulator. */
  protected String link(String customerId) {
    return baseUrl() + "/verify/" + HttpCalls.segment(customerId);
  }

  protected static boolean hasBearer(RoutingContext ctx, String token) {
    String header = ctx.request().getHeader("Authorization");
    return header != null && token != null && header.equals("Bearer " + token);
  }

  protected static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(body instanceof JsonObject o ? o.encode() : Json.encode(body));
  }

  protected static void error(RoutingContext ctx, int status, String code, String message) {
    json(ctx, status, new JsonObject().put("error", code).put("message", message));
  }

  protected static void unauthorized(RoutingContext ctx) {
    error(ctx, 401, "unauthorized", "missing or wrong credentials");
  }

  // ---- internals ----

  private record Delivery(String id, byte[] body) {}

  private Delivery delivery(SimCustomer customer, Instant at) {
    String id = UUID.randomUUID().toString();
    return new Delivery(id, webhookBody(customer, at, id).encode().getBytes(StandardCharsets.UTF_8));
  }

  private Future<Integer> deliver(HubTarget target, Delivery delivery) {
    WebClient client = webhooks;
    if (client == null) {
      return Future.failedFuture(new IllegalStateException(name() + " simulator is not started"));
    }
    Map<String, String> headers = WebhookSigner.sign(
        target.effective(adapter.defaultAuth()), target.secret(), delivery.body(), Instant.now(), delivery.id());
    HttpRequest<Buffer> request = client.postAbs(target.webhookUrl(name())).timeout(WEBHOOK_TIMEOUT_MILLIS)
        .putHeader("Content-Type", "application/json");
    headers.forEach(request::putHeader);
    return request.sendBuffer(Buffer.buffer(delivery.body())).map(HttpResponse::statusCode);
  }

  private Future<List<Integer>> sendAll(HubTarget target, List<Delivery> deliveries) {
    List<Integer> answers = Collections.synchronizedList(new ArrayList<>());
    Future<Void> chain = Future.succeededFuture();
    for (Delivery delivery : deliveries) {
      chain = chain.compose(v -> deliver(target, delivery).map(answers::add).mapEmpty());
    }
    return chain.map(v -> List.copyOf(answers));
  }

  private static List<Delivery> deliveryOrder(List<Delivery> deliveries, SequenceOptions options) {
    Random random = new Random(options.seed());
    List<Delivery> order = new ArrayList<>(deliveries);
    for (int i = 0; i < options.duplicates() && !deliveries.isEmpty(); i++) {
      Delivery again = deliveries.get(random.nextInt(deliveries.size()));
      order.add(options.shuffle() ? order.size() : order.lastIndexOf(again) + 1, again);
    }
    if (options.shuffle()) {
      Collections.shuffle(order, random);
    }
    return order;
  }

  private HubTarget target(String tenant) {
    HubTarget target = targets.get(tenant);
    if (target == null) {
      throw new IllegalArgumentException(name() + " simulator has no hub target for tenant " + tenant);
    }
    return target;
  }

  private void injectFaults(RoutingContext ctx) {
    apiCalls.incrementAndGet();
    int status = faults.statusForNext();
    if (status != 0) {
      error(ctx, status, "simulated_failure", "simulated failure");
      return;
    }
    long stall = faults.stallForNext();
    if (stall > 0) {
      vertx.setTimer(stall, id -> ctx.next());
    } else {
      ctx.next();
    }
  }

  private void verificationPage(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(name()
        + " simulator: the customer's verification page. Drive the outcome with POST /_sim/webhooks.\n");
  }

  private static <T> Future<T> attempt(Supplier<Future<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
