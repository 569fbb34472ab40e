package io.kychub.admin;

import io.kychub.model.ApiFailure;
import io.kychub.model.ProviderCredential;
import io.kychub.model.ReusePolicy;
import io.kychub.model.SecretValue;
import io.kychub.model.Tenant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns admin request bodies into model records, or fails with a 400 that names the wrong field.
 * Messages never echo a submitted value (it may be a secret).
 */
final class AdminRequests {

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Set<String> HMAC_ALGORITHMS = Set.of("sha256", "sha512", "sha1");
  private static final Set<String> ENCODINGS = Set.of("hex", "base64");
  private static final int MAX_NAME = 200;
  /** A shared webhook secret shorter than this is guessable (and the token scheme compares it as given). */
  static final int MIN_SECRET = 16;

  /** A PATCH of a tenant: null fields stay as they are. */
  record TenantPatch(String name, Boolean enabled, ReusePatch reuse) {
    /** The reuse policy to store, or null when the patch leaves it alone. */
    ReusePolicy reuseOn(ReusePolicy current) {
      return reuse == null ? null : reuse.on(current);
    }
  }

  /** A partial reuse policy: null fields keep the current value. */
  record ReusePatch(Boolean share, Boolean accept, Integer maxAgeDays) {
    ReusePolicy on(ReusePolicy current) {
      return new ReusePolicy(
          share != null ? share : current.share(),
          accept != null ? accept : current.accept(),
          maxAgeDays != null ? maxAgeDays : current.maxAgeDays());
    }
  }

  private AdminRequests() {}

  static Tenant newTenant(JsonObject body) {
    String id = field(body, "id", String.class, "id");
    if (!Tenant.validId(id)) {
      throw ApiFailure.badRequest("id is required and must match [a-z0-9-]{3,40}");
    }
    String name = name(body);
    if (name == null) {
      throw ApiFailure.badRequest("name is required");
    }
    Boolean enabled = field(body, "enabled", Boolean.class, "enabled");
    ReusePatch reuse = reuse(body);
    return new Tenant(id, name, enabled == null || enabled,
        reuse == null ? ReusePolicy.DEFAULT : reuse.on(ReusePolicy.DEFAULT), null);
  }

  static TenantPatch tenantPatch(JsonObject body) {
    return new TenantPatch(name(body), field(body, "enabled", Boolean.class, "enabled"), reuse(body));
  }

  /** The label of a new API key; the body may be absent. */
  static String apiKeyLabel(JsonObject bodyOrNull) {
    String label = bodyOrNull == null ? null : field(bodyOrNull, "label", String.class, "label");
    if (label != null && label.length() > MAX_NAME) {
      throw ApiFailure.badRequest("label must be at most " + MAX_NAME + " characters");
    }
    return label;
  }

  /** A provider credential; {@code now} decides whether at least one secret is still live. */
  static ProviderCredential credential(String tenantId, String provider, JsonObject body, Instant now) {
    field(body, "enabled", Boolean.class, "enabled");
    JsonObject auth = field(body, "webhookAuth", JsonObject.class, "webhookAuth");
    if (auth == null) {
      throw ApiFailure.badRequest("webhookAuth is required");
    }
    String scheme = field(auth, "scheme", String.class, "webhookAuth.scheme");
    if (scheme != null && !KnownProviders.SCHEMES.contains(scheme)) {
      throw ApiFailure.badRequest("webhookAuth.scheme must be one of " + names(KnownProviders.SCHEMES)
          + ", or omitted for the provider's default");
    }
    String effectiveScheme = scheme != null ? scheme : KnownProviders.defaultScheme(provider);
    secrets(auth, now);
    if ("basic".equals(effectiveScheme) && isBlank(field(auth, "username", String.class, "webhookAuth.username"))) {
      throw ApiFailure.badRequest("webhookAuth.username is required for the basic scheme");
    }
    String header = field(auth, "header", String.class, "webhookAuth.header");
    boolean ownScheme = !effectiveScheme.equals(KnownProviders.defaultScheme(provider));
    if (ownScheme && (effectiveScheme.equals("hmac") || effectiveScheme.equals("token")) && isBlank(header)) {
      throw ApiFailure.badRequest("webhookAuth.header is required for the " + effectiveScheme + " scheme on " + provider);
    }
    oneOf(auth, "algorithm", HMAC_ALGORITHMS);
    oneOf(auth, "encoding", ENCODINGS);
    field(auth, "prefix", String.class, "webhookAuth.prefix");
    Integer tolerance = field(auth, "toleranceSeconds", Integer.class, "webhookAuth.toleranceSeconds");
    if (tolerance != null && (tolerance < 1 || tolerance > 3600)) {
      throw ApiFailure.badRequest("webhookAuth.toleranceSeconds must be between 1 and 3600");
    }
    cidrs(auth);
    JsonObject api = field(body, "api", JsonObject.class, "api");
    if (api != null) {
      for (String key : List.of("apiKey", "clientId", "clientSecret", "setupId")) {
        field(api, key, String.class, "api." + key);
      }
      httpUrl(api, "baseUrl");
      httpUrl(api, "kycUrl");
      httpUrl(api, "tokenUrl");
    }
    return ProviderCredential.fromJson(tenantId, provider, body, null);
  }

  private static String name(JsonObject body) {
    String name = field(body, "name", String.class, "name");
    if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
      throw ApiFailure.badRequest("name must be 1 to " + MAX_NAME + " characters");
    }
    return name == null ? null : name.strip();
  }

  private static ReusePatch reuse(JsonObject body) {
    JsonObject reuse = field(body, "reuse", JsonObject.class, "reuse");
    if (reuse == null) {
      return null;
    }
    Integer maxAgeDays = field(reuse, "maxAgeDays", Integer.class, "reuse.maxAgeDays");
    if (maxAgeDays != null && (maxAgeDays < 1 || maxAgeDays > 36500)) {
      throw ApiFailure.badRequest("reuse.maxAgeDays must be between 1 and 36500");
    }
    return new ReusePatch(
        field(reuse, "share", Boolean.class, "reuse.share"), field(reuse, "accept", Boolean.class, "reuse.accept"), maxAgeDays);
  }

  private static void secrets(JsonObject auth, Instant now) {
    JsonArray list = field(auth, "secrets", JsonArray.class, "webhookAuth.secrets");
    if (list == null || list.isEmpty()) {
      throw ApiFailure.badRequest("webhookAuth.secrets must be a non-empty array");
    }
    boolean anyLive = false;
    for (int i = 0; i < list.size(); i++) {
      Object entry = list.getValue(i);
      String at = "webhookAuth.secrets[" + i + "]";
      if (entry instanceof JsonObject o) {
        field(o, "value", String.class, at + ".value");
        field(o, "notAfter", String.class, at + ".notAfter");
      }
      SecretValue secret;
      try {
        secret = SecretValue.parse(entry);
      } catch (IllegalArgumentException e) {
        throw ApiFailure.badRequest(at + ": must be a non-empty string or {value, notAfter: <ISO-8601 instant>}");
      }
      if (!secret.value().equals(secret.value().strip())) {
        throw ApiFailure.badRequest(at + ": must not start or end with whitespace");
      }
      if (secret.value().length() < MIN_SECRET) {
        throw ApiFailure.badRequest(at + ": must be at least " + MIN_SECRET + " characters");
      }
      anyLive |= secret.liveAt(now);
    }
    if (!anyLive) {
      throw ApiFailure.badRequest("webhookAuth.secrets: every secret's notAfter has passed; at least one must still be live");
    }
  }

  private static void cidrs(JsonObject auth) {
    JsonArray list = field(auth, "allowCidrs", JsonArray.class, "webhookAuth.allowCidrs");
    for (int i = 0; list != null && i < list.size(); i++) {
      if (!(list.getValue(i) instanceof String cidr) || !validCidr(cidr)) {
        throw ApiFailure.badRequest("webhookAuth.allowCidrs[" + i + "] must be a CIDR such as 10.0.0.0/8 or 2001:db8::/32");
      }
    }
  }

  /** An IPv4 or IPv6 network in CIDR notation. Parses literals only: never a DNS lookup. */
  static boolean validCidr(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 1 || !cidr.substring(slash + 1).matches("\\d{1,3}")) {
      return false;
    }
    String address = cidr.substring(0, slash);
    int bits = Integer.parseInt(cidr.substring(slash + 1));
    var v4 = IPV4.matcher(address);
    if (v4.matches()) {
      for (int g = 1; g <= 4; g++) {
        if (Integer.parseInt(v4.group(g)) > 255) {
          return false;
        }
      }
      return bits <= 32;
    }
    if (!address.contains(":") || !IPV6.matcher(address).matches()) {
      return false;
    }
    try {
      // brackets make the JDK treat it as an IPv6 literal and fail instead of resolving a name
      InetAddress.getByName("[" + address + "]");
      return bits <= 128;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void httpUrl(JsonObject api, String key) {
    String value = field(api, key, String.class, "api." + key);
    if (value == null) {
      return;
    }
    try {
      // Link templates name placeholders such as {customerId} or {id}: check the URL around them.
      URI uri = new URI(value.replaceAll("\\{[A-Za-z]+}", "x"));
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // answered below
    }
    throw ApiFailure.badRequest("api." + key + " must be an absolute http(s) URL");
  }

  private static void oneOf(JsonObject auth, String key, Set<String> allowed) {
    String value = field(auth, key, String.class, "webhookAuth." + key);
    if (value != null && !allowed.contains(value)) {
      throw ApiFailure.badRequest("webhookAuth." + key + " must be one of " + names(allowed));
    }
  }

  private static <T> T field(JsonObject json, String key, Class<T> type, String path) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!type.isInstance(value)) {
      throw ApiFailure.badRequest(path + " must be " + describe(type));
    }
    return type.cast(value);
  }

  private static String describe(Class<?> type) {
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class) {
      return "true or false";
    }
    if (type == Integer.class) {
      return "a whole number";
    }
    return type == JsonArray.class ? "an array" : "an object";
  }

  private static String names(Set<String> names) {
    return String.join(", ", new TreeSet<>(names));
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
