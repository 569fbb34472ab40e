package io.kychub.providers.auth;

import java.util.Locale;

/**
 * The outcome of authenticating one webhook. The reason is a fixed code, safe to log and to count
 * in metrics: it can never carry a secret or any part of the request.
 */
public enum AuthResult {
  OK,
  /** No signature header (hmac, standard-webhooks), or a standard-webhooks id/timestamp header is absent. */
  MISSING_SIGNATURE,
  /** A signature is present but matches no live secret, or cannot be decoded. */
  BAD_SIGNATURE,
  /** No Authorization / token header (basic, token). */
  MISSING_CREDENTIALS,
  /** Username or password / token does not match. */
  BAD_CREDENTIALS,
  /** The peer address is outside the credential's allow-list. */
  IP_NOT_ALLOWED,
  /** The credential has no secret that is live now (none configured, or all past notAfter). */
  NO_LIVE_SECRET,
  /** The standard-webhooks timestamp is outside the tolerance (replay protection). */
  STALE_TIMESTAMP,
  /** The standard-webhooks timestamp is not unix seconds. */
  INVALID_TIMESTAMP,
  /** The credential names a scheme the hub does not know. */
  UNKNOWN_SCHEME,
  /** The credential lacks something its scheme needs (header, username, a decodable whsec_ secret ...). */
  MISCONFIGURED;

  public boolean ok() {
    return this == OK;
  }

  /** The short code for logs, metrics and error bodies ({@code bad_signature}). */
  public String reason() {
    return name().toLowerCase(Locale.ROOT);
  }
}
