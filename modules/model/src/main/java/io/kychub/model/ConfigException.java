package io.kychub.model;

/** A configuration value is missing or wrong; the message names the key. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
