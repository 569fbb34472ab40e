package io.kychub.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Sends prepared webhooks over keep-alive (optionally pipelined) connections from one worker
 * per event loop, either at a fixed rate or keeping a fixed number of requests in flight (maximum
 * rate), and times each answer. At a fixed rate the time is taken from when the request was
 * due, not when it left, so a stalled server cannot hide its queue (coordinated omission).
 * Every phase is bounded by its list of requests, its duration and a grace period for answers.
 */
final class LoadGenerator implements AutoCloseable {

  private static final Duration ANSWER_GRACE = Duration.ofSeconds(30);

  /** What one phase measured. {@code acknowledged} counts 200 answers; the latency is theirs. */
  record Result(long sent, long acknowledged, Map<Integer, Long> byStatus, long failures, long unanswered,
      double seconds, Latency latency) {

    double ackPerSecond() {
      return seconds <= 0 ? 0 : acknowledged / seconds;
    }

    JsonObject toJson() {
      JsonObject statuses = new JsonObject();
      byStatus.forEach((status, count) -> statuses.put(String.valueOf(status), count));
      return new JsonObject().put("sent", sent).put("acknowledged", acknowledged).put("byStatus", statuses)
          .put("failures", failures).put("unanswered", unanswered).put("seconds", Math.round(seconds * 1000) / 1000.0)
          .put("ackPerSecond", Math.round(ackPerSecond())).put("ackLatency", latency.toJson());
    }
  }

  private final Vertx vertx;
  private final List<Worker> workers = new ArrayList<>();
  private final String deployment;

  /**
   * @param connections keep-alive connections in all
   * @param pipelining requests in flight per connection; the maximum-rate phase keeps
   *     {@code connections * pipelining} in flight
   */
  LoadGenerator(Vertx vertx, int port, int connections, int pipelining, int workerCount) throws Exception {
    this.vertx = vertx;
    int perWorker = Math.max(1, connections / workerCount);
    this.deployment = vertx.deployVerticle(() -> {
      Worker worker = new Worker(port, perWorker, pipelining);
      synchronized (workers) {
        workers.add(worker);
      }
      return worker;
    }, new DeploymentOptions().setInstances(workerCount)).await(30, TimeUnit.SECONDS);
  }

  /** Keeps {@code connections * pipelining} requests in flight until the list or the time runs out. */
  Result maxRate(List<Webhooks.Webhook> requests, Duration limit) throws Exception {
    return run(requests, requests.size(), 0, limit, (w, t) -> { });
  }

  /**
   * Like {@link #maxRate} but starts the list over when it runs out, up to {@code maxSends}: for a
   * server that stores nothing, where a repeated webhook costs what a new one does.
   */
  Result maxRateRepeating(List<Webhooks.Webhook> requests, long maxSends, Duration limit) throws Exception {
    return run(requests, maxSends, 0, limit, (w, t) -> { });
  }

  /**
   * Sends at {@code perSecond} until the list or the time runs out.
   *
   * @param onDue called on an event loop with each request and the {@link System#nanoTime()} it was due
   */
  Result fixedRate(List<Webhooks.Webhook> requests, int perSecond, Duration limit,
      BiConsumer<Webhooks.Webhook, Long> onDue) throws Exception {
    return run(requests, requests.size(), perSecond, limit, onDue);
  }

  private Result run(List<Webhooks.Webhook> requests, long maxSends, int perSecond, Duration limit,
      BiConsumer<Webhooks.Webhook, Long> onDue) throws Exception {
    Latency latency = new Latency();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    long deadline = start + limit.toNanos();
    List<Future<Worker.Tally>> tallies = new ArrayList<>();
    for (int w = 0; w < workers.size(); w++) {
      Worker worker = workers.get(w);
      Plan plan = new Plan(requests, maxSends, w, workers.size(), perSecond, start, deadline, latency, onDue);
      tallies.add(worker.submit(plan));
    }
    long timeout = limit.plus(ANSWER_GRACE).plusSeconds(10).toMillis();
    Future.all(tallies).await(timeout, TimeUnit.MILLISECONDS);
    long sent = 0;
    long acknowledged = 0;
    long failures = 0;
    long unanswered = 0;
    long lastAnswer = start;
    Map<Integer, Long> byStatus = new TreeMap<>();
    for (Future<Worker.Tally> f : tallies) {
      Worker.Tally t = f.result();
      sent += t.sent;
      acknowledged += t.acknowledged;
      failures += t.failures;
      unanswered += t.inFlight;
      lastAnswer = Math.max(lastAnswer, t.lastAnswerNanos);
      t.byStatus.forEach((status, count) -> byStatus.merge(status, count, Long::sum));
    }
    return new Result(sent, acknowledged, byStatus, failures, unanswered, (lastAnswer - start) / 1e9, latency);
  }

  @Override
  public void close() throws Exception {
    vertx.undeploy(deployment).await(30, TimeUnit.SECONDS);
  }

  /**
   * One worker's share of a phase: sends {@code first, first + stride, ...} (below {@code maxSends},
   * modulo the list's size); at a fixed rate send {@code i} is due at {@code start + i / perSecond}
   * seconds.
   */
  private record Plan(List<Webhooks.Webhook> requests, long maxSends, int first, int stride, int perSecond, long start,
      long deadline, Latency latency, BiConsumer<Webhooks.Webhook, Long> onDue) {

    long dueNanos(long index) {
      return start + (long) (index * (1e9 / perSecond));
    }
  }

  /** Sends from its own event loop with its own connection pool; counts without locks. */
  private static final class Worker extends VerticleBase {

    static final class Tally {
      long sent;
      long acknowledged;
      long failures;
      long inFlight;
      long lastAnswerNanos;
      final Map<Integer, Long> byStatus = new TreeMap<>();
    }

    private final int port;
    private final int connections;
    private final int pipelining;
    private HttpClient client;

    Worker(int port, int connections, int pipelining) {
      this.port = port;
      this.connections = connections;
      this.pipelining = pipelining;
    }

    @Override
    public Future<?> start() {
      client = vertx.createHttpClient(new HttpClientOptions()
              .setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true)
              .setPipelining(pipelining > 1).setPipeliningLimit(Math.max(1, pipelining)),
          new PoolOptions().setHttp1MaxSize(connections));
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      return client.close();
    }

    Future<Tally> submit(Plan plan) {
      Promise<Tally> done = Promise.promise();
      context.runOnContext(v -> new Run(plan, done).begin());
      return done.future();
    }

    /** One phase on this worker; all of it runs on the worker's event loop. */
    private final class Run {
      private final Plan plan;
      private final Promise<Tally> done;
      private final Tally tally = new Tally();
      private long next;
      private boolean sending = true;
      private long timer = -1;

      Run(Plan plan, Promise<Tally> done) {
        this.plan = plan;
        this.done = done;
        this.next = plan.first();
      }

      void begin() {
        long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(plan.start() - System.nanoTime()));
        vertx.setTimer(delayMillis, id -> {
          if (plan.perSecond() > 0) {
            timer = vertx.setPeriodic(1, t -> sendDue());
          } else {
            int window = connections * pipelining;
            for (int i = 0; i < window && sending; i++) {
              sendNext(System.nanoTime());
            }
          }
        });
      }

      /** Fixed rate: sends everything due by now. */
      private void sendDue() {
        long now = System.nanoTime();
        while (sending && plan.dueNanos(next) <= now) {
          sendNext(plan.dueNanos(next));
        }
      }

      private void sendNext(long dueNanos) {
        if (next >= plan.maxSends() || dueNanos >= plan.deadline() || System.nanoTime() >= plan.deadline()) {
          stopSending();
          return;
        }
        Webhooks.Webhook webhook = plan.requests().get((int) (next % plan.requests().size()));
        next += plan.stride();
        plan.onDue().accept(webhook, dueNanos);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(webhook.path());
        String[] headers = webhook.headers();
        for (int h = 0; h < headers.length; h += 2) {
          options.putHeader(headers[h], headers[h + 1]);
        }
        tally.sent++;
        tally.inFlight++;
        client.request(options)
            .compose(request -> request.send(webhook.body()))
            .compose(response -> response.body().map(body -> response.statusCode()))
            .onComplete(ar -> answered(ar.succeeded() ? ar.result() : -1, dueNanos));
      }

      private void answered(int status, long dueNanos) {
        long now = System.nanoTime();
        tally.inFlight--;
        tally.lastAnswerNanos = now;
        if (status == 200) {
          tally.acknowledged++;
          plan.latency().record(now - dueNanos);
        } else if (status < 0) {
          tally.failures++;
        } else {
          tally.byStatus.merge(status, 1L, Long::sum);
        }
        if (plan.perSecond() == 0 && sending) {
          sendNext(System.nanoTime());
        }
        finishIfDone();
      }

      private void stopSending() {
        if (!sending) {
          return;
        }
        sending = false;
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
        // Answers still missing after the grace period are reported as unanswered.
        vertx.setTimer(ANSWER_GRACE.toMillis(), id -> done.tryComplete(tally));
        finishIfDone();
      }

      private void finishIfDone() {
        if (!sending && tally.inFlight == 0) {
          done.tryComplete(tally);
        }
      }
    }
  }
}
