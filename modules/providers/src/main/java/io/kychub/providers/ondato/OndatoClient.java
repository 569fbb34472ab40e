package io.kychub.providers.ondato;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.ProviderApiSettings;
import io.kychub.providers.api.HttpCalls;
import io.kychub.providers.api.PollRequest;
import io.kychub.providers.api.ProviderApiException;
import io.kychub.providers.api.ProviderClient;
import io.kychub.providers.api.StartRequest;
import io.kychub.providers.api.StartedVerification;
import io.kychub.providers.support.JsonFields;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Function;

/**
 * Ondato's IDV API with a client-credentials token: {@code POST /v1/identity-verifications}
 * creates an identity verification whose id is the provider reference and makes the customer's
 * link; {@code GET /v1/identity-verifications/{id}} reports its status.
 */
public final class OndatoClient implements ProviderClient {

  /** Ondato's own IDV page; a white-label {@code kycUrl} replaces it. */
  static final String DEFAULT_LINK = "https://idv.ondato.com/?id=";

  private final HttpCalls calls;
  private final OndatoTokens tokens;

  public OndatoClient(HttpCalls calls, OndatoTokens tokens) {
    this.calls = calls;
    this.tokens = tokens;
  }

  @Override
  public Future<StartedVerification> start(ProviderApiSettings api, StartRequest request) {
    JsonObject body = new JsonObject()
        .put("externalReferenceId", request.customerId())
        .put("setupId", api == null ? null : api.setupId())
        .put("registration", new JsonObject());
    return HttpCalls.require(OndatoAdapter.NAME, api, "baseUrl", "clientId", "clientSecret", "setupId")
        .compose(s -> withToken(s, token -> calls.json(HttpMethod.POST,
            HttpCalls.url(s.baseUrl(), "/v1/identity-verifications"), HttpCalls.bearer(token), body)))
        .map(HttpCalls::object)
        .map(answer -> {
          String id = JsonFields.text(answer, "id");
          if (id == null) {
            throw ProviderApiException.unavailable(200, "provider answered without an identity verification id");
          }
          return new StartedVerification(id, link(api.kycUrl(), id), null);
        });
  }

  @Override
  public Future<Optional<CanonicalUpdate>> poll(ProviderApiSettings api, PollRequest request) {
    if (request.providerReference() == null) {
      return Future.succeededFuture(Optional.empty());
    }
    String path = "/v1/identity-verifications/" + HttpCalls.segment(request.providerReference());
    return HttpCalls.require(OndatoAdapter.NAME, api, "baseUrl", "clientId", "clientSecret")
        .compose(s -> withToken(s, token -> calls.json(HttpMethod.GET, HttpCalls.url(s.baseUrl(), path),
            HttpCalls.bearer(token), null)))
        .map(HttpCalls::object)
        .map(idv -> Optional.ofNullable(OndatoAdapter.statusUpdate(request.customerId(), idv)));
  }

  /** Calls with a cached token; a 401 means Ondato no longer takes it, so one retry with a new one. */
  private <T> Future<T> withToken(ProviderApiSettings api, Function<String, Future<T>> call) {
    return tokens.token(calls, api).compose(token -> call.apply(token).recover(failure -> {
      if (failure instanceof ProviderApiException e && e.status() == 401) {
        tokens.drop(api, token);
        return tokens.token(calls, api).compose(call);
      }
      return Future.failedFuture(failure);
    }));
  }

  /** The customer's link: {@code {id}} in a white-label {@code kycUrl} is replaced, else the id is appended. */
  static String link(String kycUrl, String id) {
    String base = kycUrl == null || kycUrl.isBlank() ? DEFAULT_LINK : kycUrl.trim();
    String encoded = HttpCalls.segment(id);
    if (base.contains("{id}")) {
      return base.replace("{id}", encoded);
    }
    if (base.endsWith("=")) {
      return base + encoded;
    }
    if (base.contains("?")) {
      return base + "&id=" + encoded;
    }
    return (base.endsWith("/") ? base : base + "/") + "?id=" + encoded;
  }
}
