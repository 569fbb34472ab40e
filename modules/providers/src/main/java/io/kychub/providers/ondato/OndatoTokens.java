package io.kychub.providers.ondato;

import io.kychub.model.Hashing;
import io.kychub.model.ProviderApiSettings;
import io.kychub.providers.api.HttpCalls;
import io.kychub.providers.api.ProviderApiException;
import io.kychub.providers.support.JsonFields;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Ondato access tokens (OAuth2 client credentials, {@code POST /connect/token}), cached per token
 * endpoint and client until shortly before they expire. Concurrent callers share one request. The
 * key also holds a hash of the client secret, so a tenant that names another tenant's client id
 * without its secret never receives that tenant's cached token.
 */
public final class OndatoTokens {

  private static final long DEFAULT_LIFETIME_SECONDS = 60;
  private static final long MAX_MARGIN_SECONDS = 30;

  private record Key(String tokenUrl, String clientId, String secretHash) {}

  private record Token(String value, Instant refreshAt) {}

  private final ConcurrentMap<Key, Future<Token>> cache = new ConcurrentHashMap<>();
  private final Clock clock;

  public OndatoTokens(Clock clock) {
    this.clock = clock;
  }

  /** A live token for the settings' client, from the cache or a new token request. */
  Future<String> token(HttpCalls calls, ProviderApiSettings api) {
    Key key = key(api);
    Future<Token> token = cache.compute(key, (k, cached) -> usable(cached) ? cached : request(calls, api));
    token.onFailure(e -> cache.remove(key, token));
    return token.map(Token::value);
  }

  /** Forgets {@code token} (the API answered 401 to it); a newer cached token stays. */
  void drop(ProviderApiSettings api, String token) {
    cache.computeIfPresent(key(api), (k, cached) ->
        cached.succeeded() && cached.result().value().equals(token) ? null : cached);
  }

  private boolean usable(Future<Token> cached) {
    if (cached == null || cached.failed()) {
      return false;
    }
    return !cached.isComplete() || clock.instant().isBefore(cached.result().refreshAt());
  }

  private Future<Token> request(HttpCalls calls, ProviderApiSettings api) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "client_credentials")
        .add("client_id", api.clientId())
        .add("client_secret", api.clientSecret());
    return calls.form(tokenUrl(api), Map.of(), form).map(HttpCalls::object).map(this::token);
  }

  private Token token(JsonObject answer) {
    String value = JsonFields.text(answer, "access_token");
    if (value == null) {
      throw ProviderApiException.unavailable(200, "provider answered without an access token");
    }
    long lifetime = lifetimeSeconds(JsonFields.text(answer, "expires_in"));
    long margin = Math.min(MAX_MARGIN_SECONDS, lifetime / 10);
    return new Token(value, clock.instant().plusSeconds(lifetime - margin));
  }

  private static long lifetimeSeconds(String expiresIn) {
    try {
      return expiresIn == null ? DEFAULT_LIFETIME_SECONDS : Math.max(0, Long.parseLong(expiresIn));
    } catch (NumberFormatException e) {
      return DEFAULT_LIFETIME_SECONDS;
    }
  }

  static String tokenUrl(ProviderApiSettings api) {
    return api.tokenUrl() != null ? api.tokenUrl() : HttpCalls.url(api.baseUrl(), "/connect/token");
  }

  private static Key key(ProviderApiSettings api) {
    return new Key(tokenUrl(api), api.clientId(), Hashing.sha256Hex(api.clientSecret()));
  }
}
