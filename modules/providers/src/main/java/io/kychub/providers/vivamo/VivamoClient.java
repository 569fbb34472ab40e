package io.kychub.providers.vivamo;

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
import java.util.Optional;

/**
 * Vivamo's customer KYC API: {@code GET /v1/customers/{id}/kyc-info} both starts (it hands out the
 * SDK's {@code clientSecretKey} and the raw verification links) and reports the status; manual
 * decisions go to {@code POST /v1/customers/{id}/kyc-verify/proof_of_id}.
 */
public final class VivamoClient implements ProviderClient {

  private final HttpCalls calls;

  public VivamoClient(HttpCalls calls) {
    this.calls = calls;
  }

  @Override
  public Future<StartedVerification> start(ProviderApiSettings api, StartRequest request) {
    return kycInfo(api, request.customerId()).map(info -> {
      JsonObject links = JsonFields.object(JsonFields.object(info, "kycVerification"), "data");
      String url = JsonFields.text(links, "url", "passportVerificationUrl", "driversLicenseVerificationUrl");
      return new StartedVerification(null, url, JsonFields.text(info, "clientSecretKey"));
    });
  }

  @Override
  public Future<Optional<CanonicalUpdate>> poll(ProviderApiSettings api, PollRequest request) {
    return kycInfo(api, request.customerId())
        .map(info -> Optional.ofNullable(VivamoAdapter.update(request.customerId(), VivamoAdapter.scopes(info))));
  }

  @Override
  public boolean supportsDecision() {
    return true;
  }

  @Override
  public Future<Void> decide(ProviderApiSettings api, PollRequest request, boolean verify) {
    return HttpCalls.require(VivamoAdapter.NAME, api, "baseUrl", "apiKey")
        .compose(s -> calls.json(HttpMethod.POST, customerUrl(s, request.customerId(), "/kyc-verify/proof_of_id"),
            HttpCalls.bearer(s.apiKey()), new JsonObject().put("verify", verify)))
        .mapEmpty();
  }

  private Future<JsonObject> kycInfo(ProviderApiSettings api, String customerId) {
    return HttpCalls.require(VivamoAdapter.NAME, api, "baseUrl", "apiKey")
        .compose(s -> calls.json(HttpMethod.GET, customerUrl(s, customerId, "/kyc-info"), HttpCalls.bearer(s.apiKey()), null))
        .map(HttpCalls::object);
  }

  private static String customerUrl(ProviderApiSettings api, String customerId, String tail) {
    return HttpCalls.url(api.baseUrl(), "/v1/customers/" + HttpCalls.segment(customerId) + tail);
  }
}
