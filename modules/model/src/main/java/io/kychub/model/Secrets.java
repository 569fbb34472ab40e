package io.kychub.model;

/** Masking of secret values for every API answer and log line. */
public final class Secrets {

  private Secrets() {}

  /** {@code "****a1b2"} for long values, {@code "****"} for short ones (too little left to hide). */
  public static String mask(String secret) {
    if (secret == null) {
      return null;
    }
    return secret.length() >= 12 ? "****" + secret.substring(secret.length() - 4) : "****";
  }
}
