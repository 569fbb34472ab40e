package io.kychub.providers.p100;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.ProviderApiSettings;
import io.kychub.providers.api.HttpCalls;
import io.kychub.providers.api.PollRequest;
import io.kychub.providers.api.ProviderClient;
import io.kychub.providers.api.StartRequest;
import io.kychub.providers.api.StartedVerification;
import io.kychub.providers.support.JsonFields;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/**
 * P100's "KYC by P100" API ({@code x-api-key}): {@code POST /v1/kyc {externalUserId}} gives the
 * verification link, {@code GET /v1/kyc/status/{externalUserId}} the status object its webhook
 * also carries.
 */
public final class P100Client implements ProviderClient {

  private final HttpCalls calls;

  public P100Client(HttpCalls calls) {
    this.calls = calls;
  }

  @Override
  public Future<StartedVerification> start(ProviderApiSettings api, StartRequest request) {
    return HttpCalls.require(P100Adapter.NAME, api, "baseUrl", "apiKey")
        .compose(s -> calls.json(HttpMethod.POST, HttpCalls.url(s.baseUrl(), "/v1/kyc"), apiKey(s),
            new JsonObject().put("externalUserId", request.customerId())))
        .map(HttpCalls::object)
        .map(answer -> new StartedVerification(null, JsonFields.text(answer, "url", "verificationUrl", "redirectUrl"), null));
  }

  @Override
  public Future<Optional<CanonicalUpdate>> poll(ProviderApiSettings api, PollRequest request) {
    return HttpCalls.require(P100Adapter.NAME, api, "baseUrl", "apiKey")
        .compose(s -> calls.json(HttpMethod.GET,
            HttpCalls.url(s.baseUrl(), "/v1/kyc/status/" + HttpCalls.segment(request.customerId())), apiKey(s), null))
        .map(HttpCalls::object)
        .map(status -> Optional.ofNullable(P100Adapter.update(request.customerId(), status)));
  }

  private static Map<String, String> apiKey(ProviderApiSettings api) {
    return Map.of("x-api-key", api.apiKey());
  }
}
