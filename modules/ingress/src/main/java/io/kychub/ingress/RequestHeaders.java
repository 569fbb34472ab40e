package io.kychub.ingress;

import io.vertx.core.MultiMap;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request's headers as the lowercase-keyed map a {@link io.kychub.model.RawWebhook} expects,
 * read straight from Vert.x's case-insensitive headers instead of copied per request. Lookups
 * give the first value of a header, as a copy would.
 */
final class RequestHeaders extends AbstractMap<String, String> {

  private final MultiMap headers;

  RequestHeaders(MultiMap headers) {
    this.headers = headers;
  }

  @Override
  public String get(Object name) {
    return name instanceof String s ? headers.get(s) : null;
  }

  @Override
  public boolean containsKey(Object name) {
    return name instanceof String s && headers.contains(s);
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    Map<String, String> copy = new LinkedHashMap<>();
    headers.forEach(h -> copy.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    return copy.entrySet();
  }
}
