package com.learncoin.gateway.support;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests for what the system does asynchronously, bounded, and failing clearly. */
public final class Eventually {
  private static final long POLL_MILLIS = 20;

  private Eventually() {}

  /** The first value {@code probe} yields within {@code timeout}; fails naming {@code what}. */
  public static <T> T await(String what, Duration timeout, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not happen within " + timeout.toSeconds() + " s");
      }
      pause();
    }
  }

  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    await(what, timeout, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
  }

  /** Milliseconds from {@code sinceNanos} until {@code condition} holds (at most five seconds). */
  public static long millisUntil(BooleanSupplier condition, long sinceNanos) {
    await("the condition", Duration.ofSeconds(5), condition);
    return (System.nanoTime() - sinceNanos) / 1_000_000;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
