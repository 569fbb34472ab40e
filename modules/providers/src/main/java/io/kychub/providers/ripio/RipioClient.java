package io.kychub.providers.ripio;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.ProviderApiSettings;
import io.kychub.providers.api.HttpCalls;
import io.kychub.providers.api.PollRequest;
import io.kychub.providers.api.ProviderClient;
import io.kychub.providers.api.StartRequest;
import io.kychub.providers.api.StartedVerification;
import io.kychub.providers.support.JsonFields;
import io.kychub.providers.support.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Ripio's partner KYC API: {@code POST /api/v1/customers/{id}/kyc/} opens a submission and gives
 * the widget link; {@code GET …/kycSubmissions/} lists the customer's submissions, whose newest
 * status ({@code INCOMPLETE_USER_DATA}, {@code IN_REVIEW}, {@code COMPLETED}, {@code FAILED}) maps
 * like the {@code KYC.*} events.
 */
public final class RipioClient implements ProviderClient {

  private final HttpCalls calls;

  public RipioClient(HttpCalls calls) {
    this.calls = calls;
  }

  @Override
  public Future<StartedVerification> start(ProviderApiSettings api, StartRequest request) {
    return HttpCalls.require(RipioAdapter.NAME, api, "baseUrl", "apiKey")
        .compose(s -> calls.json(HttpMethod.POST, customerUrl(s, request.customerId(), "/kyc/"),
            HttpCalls.bearer(s.apiKey()), new JsonObject()))
        .map(HttpCalls::object)
        .map(answer -> new StartedVerification(
            JsonFields.text(answer, "submissionId"), JsonFields.text(answer, "providerUrl", "url"), null));
  }

  @Override
  public Future<Optional<CanonicalUpdate>> poll(ProviderApiSettings api, PollRequest request) {
    return HttpCalls.require(RipioAdapter.NAME, api, "baseUrl", "apiKey")
        .compose(s -> calls.json(HttpMethod.GET, customerUrl(s, request.customerId(), "/kycSubmissions/"),
            HttpCalls.bearer(s.apiKey()), null))
        .map(HttpCalls::body)
        .map(body -> newest(submissions(body)).map(submission -> update(request.customerId(), submission)));
  }

  private static CanonicalUpdate update(String customerId, JsonObject submission) {
    String status = JsonFields.text(submission, "status");
    if (status == null) {
      return null;
    }
    String eventType = status.toUpperCase(Locale.ROOT).startsWith("KYC.") ? status : "KYC." + status.toUpperCase(Locale.ROOT);
    // a submission's createdAt is when it was opened, not when its status changed: no time then
    Instant at = Timestamps.parseLenient(JsonFields.text(submission, "updatedAt"));
    return RipioAdapter.update(customerId, eventType, new JsonObject(), submission, at);
  }

  /** The list as a bare array or inside a {@code results}/{@code data}/{@code submissions} field. */
  private static List<JsonObject> submissions(Object body) {
    JsonArray list = body instanceof JsonArray array ? array : null;
    if (body instanceof JsonObject object) {
      Object inner = JsonFields.value(object, "results", "data", "submissions", "items");
      list = inner instanceof JsonArray array ? array : null;
    }
    if (list == null) {
      return List.of();
    }
    return list.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
  }

  /** The latest by {@code createdAt}; the last listed when times are missing. */
  private static Optional<JsonObject> newest(List<JsonObject> submissions) {
    Comparator<Instant> byTime = Comparator.nullsFirst(Comparator.naturalOrder());
    JsonObject newest = null;
    for (JsonObject submission : submissions) {
      if (newest == null || byTime.compare(createdAt(submission), createdAt(newest)) >= 0) {
        newest = submission;
      }
    }
    return Optional.ofNullable(newest);
  }

  private static Instant createdAt(JsonObject submission) {
    return Timestamps.parseLenient(JsonFields.text(submission, "createdAt"));
  }

  private static String customerUrl(ProviderApiSettings api, String customerId, String tail) {
    return HttpCalls.url(api.baseUrl(), "/api/v1/customers/" + HttpCalls.segment(customerId) + tail);
  }
}
