package io.kychub.providers.support;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

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
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException unreadable) {
        return null;
      }
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
