package io.kychub.providers.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.kychub.model.ReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReasonClassifierTest {

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', value = {
      "Document doesn’t match input data | DOCUMENT_MISMATCH",
      "Document doesn't match input data | DOCUMENT_MISMATCH",
      "AML checks rejected | AML_HIT",
      "The user is underage | UNDERAGE",
      "The document uploaded is expired | DOCUMENT_EXPIRED",
      "The document uploaded has issues | DOCUMENT_ISSUE",
      "Validation Failed. User cannot be verified | VALIDATION_FAILED",
      "AML checks need to be reviewed | AML_REVIEW",
      "Government validation system inoperative | PROVIDER_UNAVAILABLE",
      "Validation failed. Pending compliance review | COMPLIANCE_REVIEW",
      "NO_FACE_FOUND | FACE_NOT_FOUND",
      "FaceNotFound | FACE_NOT_FOUND",
      "DOCUMENT_EXPIRED | DOCUMENT_EXPIRED",
      "AML_MATCH | AML_HIT",
      "SANCTIONS_LIST | AML_HIT",
      "AGE_RESTRICTION | UNDERAGE",
      "BAD_IMAGE_QUALITY | DOCUMENT_ISSUE",
      "SELFIE_MISMATCH | DOCUMENT_MISMATCH",
      "USER_ABANDONED | ABANDONED",
      "Something else entirely | OTHER"})
  void classifiesProviderWording(String text, ReasonCode code) {
    assertThat(ReasonClassifier.classify(text)).isEqualTo(code);
  }

  @Test
  void imageIsNotMistakenForAge() {
    assertThat(ReasonClassifier.classify("IMAGE_TOO_DARK")).isEqualTo(ReasonCode.DOCUMENT_ISSUE);
  }

  @Test
  void emptyOrUnmatchedTextFallsBack() {
    assertThat(ReasonClassifier.classify(null)).isEqualTo(ReasonCode.OTHER);
    assertThat(ReasonClassifier.classify("  ", ReasonCode.VALIDATION_FAILED)).isEqualTo(ReasonCode.VALIDATION_FAILED);
    assertThat(ReasonClassifier.classify("KYC.FAILED", ReasonCode.VALIDATION_FAILED)).isEqualTo(ReasonCode.VALIDATION_FAILED);
  }
}
