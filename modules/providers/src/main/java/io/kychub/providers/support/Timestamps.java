package io.kychub.providers.support;

import com.ethlo.time.DateTime;
import com.ethlo.time.Field;
import com.ethlo.time.ITU;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Provider timestamps, read leniently: a time we cannot read only costs ordering precision (the
 * reconciler falls back to arrival order), so it never rejects a delivery.
 */
public final class Timestamps {

  /** Below this a number is taken as epoch seconds, above as epoch milliseconds (year 5138). */
  private static final long MAX_EPOCH_SECONDS = 100_000_000_000L;

  private Timestamps() {}

  /**
   * ISO-8601 with or without offset (no offset means UTC, as in Ondato's {@code createdUtc}),
   * or epoch seconds/milliseconds; anything else gives null.
   */
  public static Instant parseLenient(Object value) {
    if (value instanceof Number n) {
      return fromEpoch(n.longValue());
    }
    if (!(value instanceof String s) || s.isBlank()) {
      return null;
    }
    String text = s.trim();
    if (text.chars().allMatch(Character::isDigit) && text.length() <= 15) {
      return fromEpoch(Long.parseLong(text));
    }
    try {
      // ITU reads RFC 3339 / ISO 8601 several times faster than java.time's formatters, and
      // without an exception for a missing offset (this runs for every webhook, twice).
      DateTime at = ITU.parseLenient(text);
      if (!at.includesGranularity(Field.MINUTE) || at.getParseLength() != text.length()) {
        return null; // a date alone is not a point in time; trailing text is not a timestamp
      }
      return at.getOffset().isPresent() ? at.toInstant() : at.toLocalDatetime().toInstant(ZoneOffset.UTC);
    } catch (DateTimeException unreadable) {
      return null;
    }
  }

  /** The first readable timestamp among {@code values}, or null. */
  public static Instant firstReadable(Object... values) {
    for (Object value : values) {
      Instant at = parseLenient(value);
      if (at != null) {
        return at;
      }
    }
    return null;
  }

  private static Instant fromEpoch(long value) {
    return value < MAX_EPOCH_SECONDS ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
  }
}
