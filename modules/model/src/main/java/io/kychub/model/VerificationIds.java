package io.kychub.model;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;

/**
 * New verification ids: UUIDv7 (RFC 9562), a millisecond timestamp followed by random bits. Ids
 * made close together sort close together, so the primary-key index of {@code verifications}
 * grows at its right edge instead of writing a random page per insert (fewer pages dirtied, fewer
 * full-page images in the WAL after each checkpoint). They are still unguessable enough to be
 * used as opaque references; they reveal their creation time to the millisecond, which the
 * verification's {@code createdAt} shows anyway.
 */
public final class VerificationIds {

  private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

  private VerificationIds() {}

  public static UUID next() {
    return GENERATOR.generate();
  }
}
