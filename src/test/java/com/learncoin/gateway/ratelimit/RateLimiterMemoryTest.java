package com.learncoin.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import com.learncoin.gateway.auth.Plan;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The rate limiter's memory follows the active tenants, not all of them")
class RateLimiterMemoryTest {

  @Test
  @DisplayName("buckets of 100,000 tenants gone idle are evicted; an active tenant keeps its bucket")
  void idleBucketsAreEvicted() {
    AtomicLong nanos = new AtomicLong();
    Ticker clock = nanos::get;
    LocalLimits limiter = new LocalLimits(clock);
    for (int i = 0; i < 100_000; i++) {
      assertThat(limiter.consume("ten_" + i, Plan.STARTER).isConsumed()).isTrue();
    }
    assertThat(limiter.trackedTenants()).isEqualTo(100_000);
    for (int i = 0; i < 119; i++) {
      limiter.consume("ten_active", Plan.STARTER);
    }

    nanos.addAndGet(LocalLimits.IDLE_EVICTION.toNanos() / 2);
    limiter.consume("ten_active", Plan.STARTER);
    nanos.addAndGet(LocalLimits.IDLE_EVICTION.toNanos() / 2 + 1);

    assertThat(limiter.trackedTenants()).isEqualTo(1);
    // The active tenant's bucket survived with its state: it has used its 120 tokens, and got
    // back at most the few the real clock refilled meanwhile (2 a second), where a new bucket
    // would have 119 left.
    assertThat(limiter.consume("ten_active", Plan.STARTER).getRemainingTokens()).isLessThan(60);
  }
}
