package io.kychub.admin;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;

/**
 * Admin tokens for the hub's own tooling (the demo, the benchmark, the multi-process test): HS256
 * with the default admin role, as a hub configured with {@code KYC_JWT_HS256_SECRET} verifies them.
 * Production admins get their tokens from the organisation's identity provider instead.
 */
public final class AdminTokens {

  /** The role {@code KYC_JWT_ADMIN_ROLE} names unless configured otherwise. */
  public static final String DEFAULT_ADMIN_ROLE = "kyc-admin";

  private AdminTokens() {}

  /** A token for {@code subject} (the audit log's actor), valid for {@code lifetime}. */
  public static String hs256(Vertx vertx, String secret, String subject, Duration lifetime) {
    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    return jwt.generateToken(new JsonObject().put("sub", subject).put("roles", new JsonArray().add(DEFAULT_ADMIN_ROLE)),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) lifetime.toSeconds()));
  }
}
