package io.kychub.model;

import java.util.Locale;

/** Who set a status: the provider, the operator (manual review), or reuse of another verification. */
public enum DecidedBy {
  PROVIDER, OPERATOR, REUSE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DecidedBy fromWire(String value) {
    return valueOf(value.trim().toUpperCase(Locale.ROOT));
  }
}
