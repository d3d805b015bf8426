package com.learncoin.gateway.resilience;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A circuit breaker over one dependency (the signer, a chain). After {@code threshold} failures in
 * a row it opens: intake then answers 422 at once instead of promising what it cannot keep soon.
 * The worker keeps trying on its own backoff; its first success closes the breaker again.
 */
public final class DependencyBreaker {
  private final String name;
  private final int threshold;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicLong lastFailureMillis = new AtomicLong();
  private volatile String lastError;

  public DependencyBreaker(String name, int threshold) {
    this.name = name;
    this.threshold = threshold;
  }

  public String name() {
    return name;
  }

  public boolean isOpen() {
    return consecutiveFailures.get() >= threshold;
  }

  /** Closes the breaker; true when the dependency had been failing until this success. */
  public boolean success() {
    lastError = null;
    return consecutiveFailures.getAndSet(0) > 0;
  }

  public void failure(String message) {
    lastError = message;
    lastFailureMillis.set(System.currentTimeMillis());
    consecutiveFailures.incrementAndGet();
  }

  public String lastError() {
    return lastError;
  }

  public String state() {
    return isOpen() ? "open" : "closed";
  }
}
