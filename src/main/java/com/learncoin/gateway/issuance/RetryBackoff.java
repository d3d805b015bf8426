package com.learncoin.gateway.issuance;

/**
 * How long a batch waits before its next attempt after a failed step: capped exponential backoff
 * (0.5 s doubling up to 60 s) with ±20 % jitter, so batches that failed together do not all come
 * back in the same instant.
 */
final class RetryBackoff {
  static final double BASE_SECONDS = 0.5;
  static final double MAX_SECONDS = 60;
  static final double JITTER = 0.2;

  private RetryBackoff() {}

  /** Seconds to wait after {@code attempts} earlier failures; {@code random} in [0, 1). */
  static double seconds(int attempts, double random) {
    double capped = Math.min(MAX_SECONDS, BASE_SECONDS * Math.pow(2, Math.min(attempts, 10)));
    return capped * (1 - JITTER + 2 * JITTER * random);
  }
}
