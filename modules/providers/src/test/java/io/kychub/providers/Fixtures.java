package io.kychub.providers;

import io.kychub.model.RawWebhook;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/** Loads {@code fixtures/<provider>/<case>.json} test resources as raw webhooks. */
public final class Fixtures {

  public static final Instant RECEIVED_AT = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  public static byte[] bytes(String provider, String name) {
    String path = "/fixtures/" + provider + "/" + name + ".json";
    try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RawWebhook webhook(String provider, String name) {
    return new RawWebhook("acme", provider, Map.of(), bytes(provider, name), "203.0.113.7", RECEIVED_AT);
  }

  /** Parses a fixture with the adapter, failing the test on a malformed body. */
  public static ParsedWebhook parse(ProviderAdapter adapter, String name) throws MalformedWebhookException {
    return adapter.parse(webhook(adapter.name(), name));
  }
}
