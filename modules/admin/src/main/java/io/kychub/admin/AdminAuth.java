package io.kychub.admin;

import io.kychub.model.ApiErrors;
import io.kychub.model.ConfigException;
import io.kychub.model.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the admin API's bearer JWTs with vertx-auth-jwt, from exactly one key source: an
 * HS256 secret, a PEM public key (RS256 or ES256, from the key type) or a JWKS URL (fetched at
 * start, every five minutes, and when a token names an unknown {@code kid}, at most every 30 s).
 * On top of vertx-auth-jwt it requires {@code exp} and {@code sub}, accepts only the algorithms of
 * the configured keys (never {@code none}), and checks the admin role itself: JWTAuthorization
 * would read the roles claim as permissions.
 */
public final class AdminAuth {

  /** The routing-context key of the verified token's {@code sub}: the actor of audit entries. */
  public static final String ACTOR = "kyc.admin.actor";

  private static final Logger LOG = LoggerFactory.getLogger(AdminAuth.class);
  private static final long JWKS_REFRESH_MILLIS = 5 * 60_000;
  private static final long UNKNOWN_KID_REFRESH_MILLIS = 30_000;
  private static final int LEEWAY_SECONDS = 30;
  private static final Set<String> ASYMMETRIC =
      Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

  /** The verifier with the algorithms and key ids it holds; {@code auth} null until keys are loaded. */
  private record Keys(JWTAuth auth, Set<String> algorithms, Set<String> kids) {}

  private final Vertx vertx;
  private final HubConfig.Jwt config;
  private final JWTOptions options;
  private final long unknownKidRefreshMillis;
  private Keys keys = new Keys(null, Set.of(), Set.of());
  private WebClient client;
  private long refreshTimer = -1;
  private Future<Void> refreshing;
  private long lastRefresh;

  public AdminAuth(Vertx vertx, HubConfig.Jwt config) {
    this(vertx, config, UNKNOWN_KID_REFRESH_MILLIS);
  }

  AdminAuth(Vertx vertx, HubConfig.Jwt config, long unknownKidRefreshMillis) {
    this.vertx = vertx;
    this.config = config;
    this.unknownKidRefreshMillis = unknownKidRefreshMillis;
    this.options = new JWTOptions().setLeeway(LEEWAY_SECONDS).setIssuer(config.issuer());
    if (config.audience() != null) {
      options.setAudience(List.of(config.audience()));
    }
  }

  /** Loads the keys. A JWKS that cannot be fetched is logged and retried; tokens get 401 meanwhile. */
  public Future<Void> start() {
    if (config.hs256Secret() != null) {
      PubSecKeyOptions secret = new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.hs256Secret());
      keys = keys(new JWTAuthOptions().addPubSecKey(secret), Set.of("HS256"), Set.of());
      return Future.succeededFuture();
    }
    if (config.publicKeyPem() != null) {
      String pem = config.publicKeyPem().replace("\\n", "\n");
      String algorithm = algorithmOf(pem);
      PubSecKeyOptions publicKey = new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(pem);
      keys = keys(new JWTAuthOptions().addPubSecKey(publicKey), Set.of(algorithm), Set.of());
      return Future.succeededFuture();
    }
    if (config.jwksUrl() == null) {
      return Future.failedFuture(new ConfigException("KYC_JWT_HS256_SECRET, KYC_JWT_PUBLIC_KEY or KYC_JWT_JWKS_URL is required"));
    }
    client = WebClient.create(vertx);
    refreshTimer = vertx.setPeriodic(JWKS_REFRESH_MILLIS, id -> refreshJwks());
    return refreshJwks().otherwiseEmpty();
  }

  public void stop() {
    vertx.cancelTimer(refreshTimer);
    if (client != null) {
      client.close();
    }
  }

  /** Answers 401 without a valid token, 403 without the admin role, else continues with {@link #ACTOR} set. */
  public Handler<RoutingContext> handler() {
    return ctx -> {
      String header = ctx.request().getHeader("Authorization");
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
        unauthorized(ctx, "a bearer token is required");
        return;
      }
      verify(header.substring(7).trim())
          .onFailure(e -> {
            LOG.debug("admin token rejected: {}", e.getMessage());
            unauthorized(ctx, "the token is invalid or expired");
          })
          .onSuccess(claims -> {
            if (!hasRole(claims, config.rolesClaim(), config.adminRole())) {
              ApiErrors.send(ctx.response(), 403, "forbidden", "the token does not carry the admin role");
              return;
            }
            ctx.put(ACTOR, claims.getString("sub"));
            ctx.next();
          });
    };
  }

  /** The claims of a valid token, or a failed future. */
  public Future<JsonObject> verify(String token) {
    JsonObject header;
    try {
      header = header(token);
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalArgumentException("not a signed JWT"));
    }
    Object alg = header.getValue("alg");
    Object kid = header.getValue("kid");
    boolean unknownKid = client != null && kid instanceof String k && !keys.kids().contains(k);
    return (unknownKid ? refreshForUnknownKid() : Future.<Void>succeededFuture()).compose(v -> {
      Keys current = keys;
      if (current.auth() == null || !current.algorithms().contains(alg)) {
        return Future.failedFuture(new IllegalArgumentException("algorithm not accepted: " + alg));
      }
      return current.auth().authenticate(new TokenCredentials(token));
    }).compose(AdminAuth::requireClaims);
  }

  private static Future<JsonObject> requireClaims(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
    if (!(claims.getValue("exp") instanceof Number)) {
      return Future.failedFuture(new IllegalArgumentException("the token has no exp"));
    }
    if (!(claims.getValue("sub") instanceof String sub) || sub.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("the token has no sub"));
    }
    return Future.succeededFuture(claims);
  }

  /** The decoded header of a token with three non-empty segments. */
  private static JsonObject header(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new IllegalArgumentException("not a signed JWT");
    }
    return new JsonObject(Buffer.buffer(Base64.getUrlDecoder().decode(parts[0])));
  }

  /**
   * Whether the claim at {@code claimPath} (dotted, e.g. {@code realm_access.roles}) holds
   * {@code role}, as an array entry or in a space- or comma-separated string.
   */
  static boolean hasRole(JsonObject claims, String claimPath, String role) {
    Object value = claims;
    for (String part : claimPath.split("\\.")) {
      value = value instanceof JsonObject o ? o.getValue(part) : null;
    }
    if (value instanceof JsonArray array) {
      return array.contains(role);
    }
    if (value instanceof String s) {
      return List.of(s.trim().split("[\\s,]+")).contains(role);
    }
    return false;
  }

  /** {@code RS256} for an RSA public key, {@code ES256} for an EC one. */
  static String algorithmOf(String pem) {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    X509EncodedKeySpec spec;
    try {
      spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("KYC_JWT_PUBLIC_KEY: not a PEM public key");
    }
    for (String[] type : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
      try {
        KeyFactory.getInstance(type[0]).generatePublic(spec);
        return type[1];
      } catch (java.security.GeneralSecurityException notThisType) {
        // try the next key type
      }
    }
    throw new ConfigException("KYC_JWT_PUBLIC_KEY: must be an RSA or EC public key (-----BEGIN PUBLIC KEY-----)");
  }

  private Future<Void> refreshForUnknownKid() {
    if (System.currentTimeMillis() - lastRefresh < unknownKidRefreshMillis) {
      return refreshing != null && !refreshing.isComplete() ? refreshing.otherwiseEmpty() : Future.succeededFuture();
    }
    return refreshJwks().otherwiseEmpty();
  }

  private Future<Void> refreshJwks() {
    if (refreshing != null && !refreshing.isComplete()) {
      return refreshing;
    }
    lastRefresh = System.currentTimeMillis();
    refreshing = client.getAbs(config.jwksUrl())
        .timeout(10_000)
        .send()
        .expecting(HttpResponseExpectation.SC_SUCCESS)
        .map(response -> fromJwks(response.bodyAsJsonObject()))
        .onSuccess(loaded -> keys = loaded)
        .onFailure(e -> LOG.error("cannot load the admin JWKS from {}: {}", config.jwksUrl(), e.getMessage()))
        .mapEmpty();
    return refreshing;
  }

  /** The JWKS's public signing keys (RSA and EC only: a symmetric key has no place in a JWKS). */
  private Keys fromJwks(JsonObject jwks) {
    JWTAuthOptions authOptions = new JWTAuthOptions();
    Set<String> algorithms = new HashSet<>();
    Set<String> kids = new HashSet<>();
    JsonArray list = jwks == null ? new JsonArray() : jwks.getJsonArray("keys", new JsonArray());
    for (Object entry : list) {
      if (!(entry instanceof JsonObject jwk) || !("RSA".equals(jwk.getValue("kty")) || "EC".equals(jwk.getValue("kty")))
          || !(jwk.getValue("use") == null || "sig".equals(jwk.getValue("use")))) {
        continue;
      }
      String alg = jwk.getString("alg", "RSA".equals(jwk.getString("kty")) ? "RS256" : "ES256");
      if (ASYMMETRIC.contains(alg)) {
        authOptions.addJwk(jwk.copy().put("alg", alg));
        algorithms.add(alg);
        if (jwk.getValue("kid") instanceof String kid) {
          kids.add(kid);
        }
      }
    }
    if (algorithms.isEmpty()) {
      throw new IllegalStateException("the JWKS holds no RSA or EC signing key");
    }
    return keys(authOptions, algorithms, kids);
  }

  private Keys keys(JWTAuthOptions authOptions, Set<String> algorithms, Set<String> kids) {
    return new Keys(JWTAuth.create(vertx, authOptions.setJWTOptions(options)), Set.copyOf(algorithms), Set.copyOf(kids));
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    ApiErrors.send(ctx.response(), 401, "unauthorized", message);
  }
}
