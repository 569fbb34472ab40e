package io.kychub.model;

import java.util.regex.Pattern;

/**
 * The alphabet and length of every id the hub takes from a path, a body or a provider's payload,
 * checked before any query: an id PostgreSQL cannot store (a NUL byte, a lone surrogate) or an
 * absurd one (5,000 characters) is a 400, never a database error.
 */
public final class Ids {

  public static final int MAX_CUSTOMER_ID = 128;
  public static final String CUSTOMER_RULE =
      "a customer id is 1 to " + MAX_CUSTOMER_ID + " characters, with no control characters";
  public static final String SUBJECT_RULE =
      "a subject id (customer id or provider reference) is 1 to " + MAX_CUSTOMER_ID + " characters, with no control characters";
  public static final String TENANT_RULE = "a tenant id is 3 to 40 of a-z, 0-9 and '-'";
  public static final String API_KEY_ID_RULE = "an API key id is 'ak_' and 12 of A-Z, a-z, 0-9, '_' and '-'";

  public static final String ENDPOINT_ID_RULE = "a webhook endpoint id is 'we_' and 16 of A-Z, a-z, 0-9, '_' and '-'";

  private static final Pattern API_KEY_ID = Pattern.compile("ak_[A-Za-z0-9_-]{12}");
  private static final Pattern ENDPOINT_ID = Pattern.compile("we_[A-Za-z0-9_-]{16}");

  private Ids() {}

  /** A customer id (also a provider's subject reference): 1-128 characters, no control characters, valid UTF-16. */
  public static boolean validCustomer(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_CUSTOMER_ID) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isISOControl(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= id.length() || !Character.isLowSurrogate(id.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  public static boolean validTenant(String id) {
    return Tenant.validId(id);
  }

  public static boolean validEndpointId(String id) {
    return id != null && ENDPOINT_ID.matcher(id).matches();
  }

  public static boolean validApiKeyId(String id) {
    return id != null && API_KEY_ID.matcher(id).matches();
  }
}
