package com.learncoin.gateway.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A failed batch waits 0.5 s, doubling to at most 60 s, with ±20 % jitter")
class RetryBackoffTest {
  /** The largest double below 1: the top of what ThreadLocalRandom.nextDouble() returns. */
  private static final double ALMOST_ONE = Math.nextDown(1.0);
  private static final double EPSILON = 1e-9;

  @ParameterizedTest(name = "after {0} earlier failures: {1} s")
  @CsvSource({
      "0, 0.5",
      "1, 1.0",
      "2, 2.0",
      "3, 4.0",
      "4, 8.0",
      "5, 16.0",
      "6, 32.0",
      "7, 60.0",
      "8, 60.0",
      "10, 60.0",
      "11, 60.0",
      "100, 60.0"})
  @DisplayName("without jitter (random 0.5): 0.5 s doubling, capped at 60 s")
  void doubling(int attempts, double seconds) {
    assertThat(RetryBackoff.seconds(attempts, 0.5)).isCloseTo(seconds, within(EPSILON));
  }

  @Test
  @DisplayName("the constants are the documented ones")
  void constants() {
    assertThat(RetryBackoff.BASE_SECONDS).isEqualTo(0.5);
    assertThat(RetryBackoff.MAX_SECONDS).isEqualTo(60.0);
    assertThat(RetryBackoff.JITTER).isEqualTo(0.2);
  }

  @ParameterizedTest(name = "after {0} earlier failures")
  @ValueSource(ints = {0, 1, 3, 6, 7, 20})
  @DisplayName("random 0 gives 0.8x, random just under 1 gives 1.2x (at most: rounding reaches it)")
  void jitterBounds(int attempts) {
    double base = RetryBackoff.seconds(attempts, 0.5);
    assertThat(RetryBackoff.seconds(attempts, 0.0)).isCloseTo(base * 0.8, within(EPSILON));
    double top = RetryBackoff.seconds(attempts, ALMOST_ONE);
    // [0, 1) maps to [0.8x, 1.2x) in exact arithmetic; in doubles, nextDown(1) rounds to 1.2x.
    assertThat(top).isLessThanOrEqualTo(base * 1.2).isCloseTo(base * 1.2, within(EPSILON));
    for (double random = 0; random < 1; random += 0.01) {
      assertThat(RetryBackoff.seconds(attempts, random))
          .isGreaterThanOrEqualTo(base * 0.8 - EPSILON)
          .isLessThanOrEqualTo(base * 1.2);
    }
  }

  @Test
  @DisplayName("the first retry waits 0.4 s to 0.6 s; no wait ever exceeds 72 s")
  void absoluteBounds() {
    assertThat(RetryBackoff.seconds(0, 0.0)).isCloseTo(0.4, within(EPSILON));
    assertThat(RetryBackoff.seconds(0, ALMOST_ONE)).isCloseTo(0.6, within(EPSILON))
        .isLessThanOrEqualTo(0.6);
    assertThat(RetryBackoff.seconds(Integer.MAX_VALUE, ALMOST_ONE)).isCloseTo(72.0, within(EPSILON))
        .isLessThanOrEqualTo(72.0);
    assertThat(RetryBackoff.seconds(Integer.MAX_VALUE, 0.0)).isCloseTo(48.0, within(EPSILON));
  }

  @ParameterizedTest(name = "attempts = {0}")
  @ValueSource(ints = {31, 32, 63, 64, 1_024, 1_000_000, Integer.MAX_VALUE - 1, Integer.MAX_VALUE})
  @DisplayName("large attempt counts do not overflow: still 60 s, finite and positive")
  void largeAttempts(int attempts) {
    double seconds = RetryBackoff.seconds(attempts, 0.5);
    assertThat(Double.isFinite(seconds)).isTrue();
    assertThat(seconds).isCloseTo(60.0, within(EPSILON));
    assertThat(RetryBackoff.seconds(attempts, 0.0)).isCloseTo(48.0, within(EPSILON));
  }

  @ParameterizedTest(name = "random = {0}")
  @ValueSource(doubles = {0.0, 0.25, 0.5, 0.75, 0.999999999})
  @DisplayName("for a fixed random, the wait never shrinks as failures accumulate")
  void monotone(double random) {
    double previous = RetryBackoff.seconds(0, random);
    assertThat(previous).isPositive();
    for (int attempts = 1; attempts <= 200; attempts++) {
      double next = RetryBackoff.seconds(attempts, random);
      assertThat(next).as("attempts %d", attempts).isGreaterThanOrEqualTo(previous);
      previous = next;
    }
    for (int attempts : new int[] {1_000, 65_536, Integer.MAX_VALUE / 2, Integer.MAX_VALUE}) {
      double next = RetryBackoff.seconds(attempts, random);
      assertThat(next).as("attempts %d", attempts).isGreaterThanOrEqualTo(previous);
      previous = next;
    }
  }

  @Test
  @DisplayName("below the cap, each wait is exactly twice the one before (same random)")
  void ratio() {
    for (double random : new double[] {0.0, 0.3, ALMOST_ONE}) {
      for (int attempts = 1; attempts <= 6; attempts++) {
        assertThat(RetryBackoff.seconds(attempts, random))
            .isCloseTo(2 * RetryBackoff.seconds(attempts - 1, random), within(EPSILON));
      }
    }
  }
}
