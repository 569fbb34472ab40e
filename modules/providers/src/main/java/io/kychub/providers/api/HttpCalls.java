package io.kychub.providers.api;

import io.kychub.model.ProviderApiSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The HTTP plumbing every provider client shares: a timeout per attempt, retries with exponential
 * backoff on 5xx, 429, timeouts and connection errors (on Vert.x timers, never sleeping), and the
 * translation of the outcome into {@link ProviderApiException}. Messages name statuses and settings,
 * never secrets or response bodies.
 */
public final class HttpCalls {

  /**
   * @param timeoutMillis per attempt
   * @param attempts tries in all, at least 1
   * @param firstBackoffMillis wait before the second try; doubled before each further one
   */
  public record Policy(long timeoutMillis, int attempts, long firstBackoffMillis) {
    public static final Policy DEFAULT = new Policy(10_000, 3, 200);

    public Policy {
      if (timeoutMillis <= 0 || attempts < 1 || firstBackoffMillis < 0) {
        throw new IllegalArgumentException("timeout > 0, attempts >= 1 and backoff >= 0 required");
      }
    }
  }

  private final WebClient client;
  private final Policy policy;

  public HttpCalls(WebClient client) {
    this(client, Policy.DEFAULT);
  }

  public HttpCalls(WebClient client, Policy policy) {
    this.client = client;
    this.policy = policy;
  }

  /** Sends {@code body} as JSON (none when null); succeeds only with a 2xx answer. */
  public Future<HttpResponse<Buffer>> json(HttpMethod method, String url, Map<String, String> headers, JsonObject body) {
    return withRetries(() -> {
      HttpRequest<Buffer> request = request(method, url, headers);
      return body == null ? request.send() : request.sendJsonObject(body);
    }, 1);
  }

  /** POSTs an {@code application/x-www-form-urlencoded} form; succeeds only with a 2xx answer. */
  public Future<HttpResponse<Buffer>> form(String url, Map<String, String> headers, MultiMap form) {
    return withRetries(() -> request(HttpMethod.POST, url, headers).sendForm(form), 1);
  }

  private HttpRequest<Buffer> request(HttpMethod method, String url, Map<String, String> headers) {
    HttpRequest<Buffer> request = client.requestAbs(method, url).timeout(policy.timeoutMillis());
    request.putHeader("Accept", "application/json");
    headers.forEach(request::putHeader);
    return request;
  }

  private Future<HttpResponse<Buffer>> withRetries(Supplier<Future<HttpResponse<Buffer>>> send, int attempt) {
    Future<HttpResponse<Buffer>> sent;
    try {
      sent = send.get();
    } catch (RuntimeException badUrl) {
      // requestAbs rejects a malformed URL synchronously; a setting problem, not an outage
      return Future.failedFuture(ProviderApiException.notConfigured("provider API baseUrl is not a valid URL"));
    }
    return sent.transform(ar -> {
      int status = ar.succeeded() ? ar.result().statusCode() : 0;
      if (ar.succeeded() && status >= 200 && status < 300) {
        return Future.succeededFuture(ar.result());
      }
      if (ar.succeeded() && !retryable(status)) {
        return Future.failedFuture(ProviderApiException.refused(status, "provider refused: " + status));
      }
      if (attempt >= policy.attempts()) {
        return Future.failedFuture(ProviderApiException.unavailable(status, "provider unavailable"));
      }
      return delay(policy.firstBackoffMillis() << (attempt - 1)).compose(v -> withRetries(send, attempt + 1));
    });
  }

  /** 5xx and 429 may pass; any other non-2xx answer is the provider refusing the request. */
  static boolean retryable(int status) {
    return status >= 500 || status == 429;
  }

  /** Waits on a Vert.x timer; web client callbacks always run on a context, so one is there. */
  private static Future<Void> delay(long millis) {
    Context context = Vertx.currentContext();
    return context == null || millis == 0 ? Future.succeededFuture() : context.owner().timer(millis);
  }

  /** The settings when every named one is set, else a not-configured failure naming the first missing. */
  public static Future<ProviderApiSettings> require(String provider, ProviderApiSettings api, String... settings) {
    JsonObject values = (api == null ? ProviderApiSettings.NONE : api).toJson();
    for (String setting : settings) {
      String value = values.getString(setting);
      if (value == null || value.isBlank()) {
        return Future.failedFuture(
            ProviderApiException.notConfigured(provider + " API setting '" + setting + "' is not configured"));
      }
    }
    return Future.succeededFuture(api);
  }

  /** {@code baseUrl} (without trailing slashes) followed by {@code path}. */
  public static String url(String baseUrl, String path) {
    String base = baseUrl.trim();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + path;
  }

  /** One path segment, percent-encoded (a customer id may hold any character). */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The answer's body as a JSON value (object or array); a body that is not JSON is an unavailable provider. */
  public static Object body(HttpResponse<Buffer> response) {
    Buffer body = response.body();
    Object value;
    try {
      value = body == null || body.length() == 0 ? null : Json.decodeValue(body);
    } catch (DecodeException e) {
      value = null;
    }
    if (value == null) {
      throw ProviderApiException.unavailable(response.statusCode(), "provider answered with an unreadable body");
    }
    return value;
  }

  /** The answer's body as a JSON object (see {@link #body}). */
  public static JsonObject object(HttpResponse<Buffer> response) {
    if (body(response) instanceof JsonObject object) {
      return object;
    }
    throw ProviderApiException.unavailable(response.statusCode(), "provider answered with an unexpected body");
  }

  /** The {@code Authorization: Bearer} header. */
  public static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }
}
