package io.kychub.stream;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;

/**
 * Decides who is asking for {@code GET /v1/events} and what they may see (API key, optional
 * {@code ?customerId=}, or a customer's client secret), and whether the credential behind an open
 * stream still holds. Lives outside this module so the stream knows nothing about keys.
 */
public interface StreamAccess {

  /**
   * The scope of this request, or a future failed with {@link StreamAccessDenied} (answered 401).
   * Any other failure is answered 503. Complete on the caller's context, as Vert.x clients do.
   */
  Future<StreamScope> resolve(HttpServerRequest request);

  /**
   * Whether the credential of an open stream still holds at {@code now} (not revoked, not
   * expired, its tenant enabled), from memory only: it is asked every second for every stream.
   */
  boolean holds(StreamScope scope, Instant now);
}
