package io.kychub.api;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A customer's identity claims, normalised, and their keyed fingerprint: the only thing the hub
 * keeps of them. Two customers with the same document country, number and date of birth are the
 * same person; the optional email is checked for shape but is not part of the identity (people
 * change emails), so it is not kept either.
 */
public record IdentityClaims(String documentCountry, String documentNumber, LocalDate dateOfBirth) {

  /** The fields of a claims body ({@code PUT /v1/customers/{id}}); any other is refused by name. */
  public static final List<String> FIELDS = List.of("documentCountry", "documentNumber", "dateOfBirth", "email");

  /** Reads and normalises the claims; all three are required together. */
  public static IdentityClaims parse(JsonObject body) {
    String country = text(body, "documentCountry");
    String number = text(body, "documentNumber");
    String dob = text(body, "dateOfBirth");
    String email = text(body, "email");
    if (country == null || number == null || dob == null) {
      throw new IllegalArgumentException("documentCountry, documentNumber and dateOfBirth are required together");
    }
    country = country.toUpperCase(Locale.ROOT);
    if (!country.matches("[A-Z]{2,3}")) {
      throw new IllegalArgumentException("documentCountry must be an ISO 3166 alpha-2 or alpha-3 code");
    }
    number = number.toUpperCase(Locale.ROOT).replaceAll("[\\s.\\-/]", "");
    if (!number.matches("[A-Z0-9]{1,40}")) {
      throw new IllegalArgumentException("documentNumber must be letters and digits (spaces, dots, dashes are ignored)");
    }
    LocalDate date;
    try {
      date = LocalDate.parse(dob);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("dateOfBirth must be YYYY-MM-DD");
    }
    if (date.isAfter(LocalDate.now()) || date.isBefore(LocalDate.of(1900, 1, 1))) {
      throw new IllegalArgumentException("dateOfBirth is out of range");
    }
    if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
      throw new IllegalArgumentException("email is not an address");
    }
    return new IdentityClaims(country, number, date);
  }

  /** True when the body names no claim at all (the customer then has no identity). */
  public static boolean absent(JsonObject body) {
    return body == null || (text(body, "documentCountry") == null && text(body, "documentNumber") == null
        && text(body, "dateOfBirth") == null && text(body, "email") == null);
  }

  /** HMAC-SHA256 under the hub-wide fingerprint key. */
  public byte[] fingerprint(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(("v1|" + documentCountry + "|" + documentNumber + "|" + dateOfBirth)
          .getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "IdentityClaims[****]";
  }

  private static String text(JsonObject body, String field) {
    Object v = body == null ? null : body.getValue(field);
    if (v == null) {
      return null;
    }
    String s = String.valueOf(v).trim();
    return s.isEmpty() ? null : s;
  }
}
