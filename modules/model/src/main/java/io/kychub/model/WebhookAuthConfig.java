package io.kychub.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * How a tenant's webhooks from one provider are authenticated. Null fields fall back to the
 * provider's defaults ({@link #withDefaults}).
 *
 * @param scheme {@code hmac}, {@code basic}, {@code token} or {@code standard-webhooks}
 * @param header for {@code hmac}/{@code token}: the header name; several alternatives may be
 *     given comma-separated
 * @param algorithm for {@code hmac}: {@code sha256}, {@code sha512} or {@code sha1}
 * @param encoding for {@code hmac}: {@code hex} or {@code base64}
 * @param prefix for {@code hmac}: an optional prefix of the signature value ({@code sha256=});
 *     for {@code token}: an optional prefix of the token ({@code Bearer })
 */
public record WebhookAuthConfig(
    String scheme,
    List<SecretValue> secrets,
    String username,
    String header,
    String algorithm,
    String encoding,
    String prefix,
    List<String> allowCidrs,
    Integer toleranceSeconds) {

  public WebhookAuthConfig {
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
    allowCidrs = allowCidrs == null ? List.of() : List.copyOf(allowCidrs);
  }

  /** This configuration with every field it leaves open taken from {@code defaults}. */
  public WebhookAuthConfig withDefaults(WebhookAuthConfig defaults) {
    boolean sameScheme = scheme == null || scheme.equals(defaults.scheme());
    return new WebhookAuthConfig(
        scheme != null ? scheme : defaults.scheme(),
        secrets,
        username,
        header != null ? header : (sameScheme ? defaults.header() : null),
        algorithm != null ? algorithm : (sameScheme ? defaults.algorithm() : null),
        encoding != null ? encoding : (sameScheme ? defaults.encoding() : null),
        prefix != null ? prefix : (sameScheme ? defaults.prefix() : null),
        allowCidrs,
        toleranceSeconds != null ? toleranceSeconds : defaults.toleranceSeconds());
  }

  public static WebhookAuthConfig fromJson(JsonObject json) {
    if (json == null) {
      return new WebhookAuthConfig(null, List.of(), null, null, null, null, null, List.of(), null);
    }
    List<SecretValue> secrets = new ArrayList<>();
    JsonArray list = json.getJsonArray("secrets", new JsonArray());
    for (Object entry : list) {
      secrets.add(SecretValue.parse(entry));
    }
    List<String> cidrs = new ArrayList<>();
    json.getJsonArray("allowCidrs", new JsonArray()).forEach(c -> cidrs.add(String.valueOf(c)));
    return new WebhookAuthConfig(
        json.getString("scheme"),
        secrets,
        json.getString("username"),
        json.getString("header"),
        json.getString("algorithm"),
        json.getString("encoding"),
        json.getString("prefix"),
        cidrs,
        json.getInteger("toleranceSeconds"));
  }

  public JsonObject toJson() {
    return toJson(false);
  }

  public JsonObject toMaskedJson() {
    return toJson(true);
  }

  private JsonObject toJson(boolean masked) {
    JsonArray list = new JsonArray();
    secrets.forEach(s -> list.add(masked ? s.toMaskedJson() : s.toJson()));
    return new JsonObject()
        .put("scheme", scheme)
        .put("secrets", list)
        .put("username", username)
        .put("header", header)
        .put("algorithm", algorithm)
        .put("encoding", encoding)
        .put("prefix", prefix)
        .put("allowCidrs", new JsonArray(new ArrayList<>(allowCidrs)))
        .put("toleranceSeconds", toleranceSeconds);
  }
}
