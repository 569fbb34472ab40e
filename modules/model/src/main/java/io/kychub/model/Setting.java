package io.kychub.model;

/**
 * One configuration key: its name (the environment variable, also a key of {@code conf/kyc-hub.json}),
 * its default and, for numbers, its bounds. Every key is declared once, in {@link HubConfig#SETTINGS};
 * the README's configuration table is checked against that list.
 *
 * @param defaultValue the default as the README shows it (null: no default)
 */
public record Setting(String name, String defaultValue, long min, long max) {

  static Setting text(String name, String defaultValue) {
    return new Setting(name, defaultValue, 0, 0);
  }

  static Setting number(String name, long defaultValue, long min, long max) {
    return new Setting(name, Long.toString(defaultValue), min, max);
  }

  /** A key without a default (required, or off when absent). */
  static Setting none(String name) {
    return new Setting(name, null, 0, 0);
  }

  long defaultNumber() {
    return Long.parseLong(defaultValue);
  }
}
