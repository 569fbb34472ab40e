package io.kychub.providers.support;

import io.kychub.model.Reason;
import io.kychub.model.ReasonCode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Derives a normalised {@link ReasonCode} from a provider's free-text or enum-like reason
 * ({@code "AML checks rejected"}, {@code "NO_FACE_FOUND"}). Providers word the same causes
 * differently, so the rules look at words, in priority order: a more specific cause (compliance
 * review, AML) wins over a generic one ("validation failed").
 */
public final class ReasonClassifier {

  /** Compiled once: this runs for every webhook with a reason (String.replaceAll and split compile per call). */
  private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z])([A-Z])");
  private static final Pattern NOT_WORD = Pattern.compile("[^a-z0-9]+");

  private ReasonClassifier() {}

  /** The code for {@code text}, {@link ReasonCode#OTHER} when no rule matches or the text is empty. */
  public static ReasonCode classify(String text) {
    return classify(text, ReasonCode.OTHER);
  }

  /** The code for {@code text}, or {@code fallback} when no rule matches. */
  public static ReasonCode classify(String text, ReasonCode fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    Set<String> words = words(text);
    if (words.contains("compliance")) {
      return ReasonCode.COMPLIANCE_REVIEW;
    }
    if (anyOf(words, "aml", "sanction", "sanctions", "pep", "watchlist", "blacklist", "blacklisted")) {
      return anyOf(words, "review", "reviewed", "manual") ? ReasonCode.AML_REVIEW : ReasonCode.AML_HIT;
    }
    if (anyOf(words, "inoperative", "unavailable", "outage", "timeout")) {
      return ReasonCode.PROVIDER_UNAVAILABLE;
    }
    if (anyOf(words, "underage", "age", "minor", "young")) {
      return ReasonCode.UNDERAGE;
    }
    if (words.contains("face") && anyOf(words, "no", "found", "detected", "missing")) {
      return ReasonCode.FACE_NOT_FOUND;
    }
    if (words.stream().anyMatch(w -> w.contains("match"))) {
      return ReasonCode.DOCUMENT_MISMATCH;
    }
    if (anyOf(words, "expired", "expiry", "expire", "expiration")) {
      return ReasonCode.DOCUMENT_EXPIRED;
    }
    if (anyOf(words, "document", "documents", "passport", "license", "licence", "image", "photo", "blurry",
        "glare", "unreadable", "quality")) {
      return ReasonCode.DOCUMENT_ISSUE;
    }
    if (anyOf(words, "abandoned", "aborted", "cancelled", "canceled")) {
      return ReasonCode.ABANDONED;
    }
    if (words.contains("validation") || (words.contains("cannot") && words.contains("verified"))) {
      return ReasonCode.VALIDATION_FAILED;
    }
    return fallback;
  }

  /** A reason with the classified code and the provider's own words as detail. */
  public static Reason reason(String detail, ReasonCode fallback) {
    return Reason.of(classify(detail, fallback), detail);
  }

  private static Set<String> words(String text) {
    // typographic apostrophes ("doesn’t") must split like ASCII ones; "FaceNotFound" reads as three words
    String normal = CAMEL_HUMP.matcher(text.replace('\u2019', '\'')).replaceAll("$1 $2").toLowerCase(Locale.ROOT);
    return Arrays.stream(NOT_WORD.split(normal)).filter(w -> !w.isEmpty()).collect(Collectors.toSet());
  }

  private static boolean anyOf(Set<String> words, String... candidates) {
    for (String c : candidates) {
      if (words.contains(c)) {
        return true;
      }
    }
    return false;
  }
}
