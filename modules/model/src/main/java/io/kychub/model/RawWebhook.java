package io.kychub.model;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A webhook exactly as it arrived: raw body bytes, headers with lowercase names, and the peer
 * address. Authentication always works on these bytes, before anything parses them.
 */
public record RawWebhook(
    String tenantId, String provider, Map<String, String> headers, byte[] body, String remoteIp, Instant receivedAt) {

  /** The header's value, by case-insensitive name, or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
