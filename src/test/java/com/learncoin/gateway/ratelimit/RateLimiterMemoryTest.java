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
  @DisplayName("buckets of 100,000 tenants gone idle (full again) are dropped; an active tenant keeps its bucket")
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

    // Half a minute: every idle tenant's token is back (one every 0.5 s); the active tenant, which
    // took 119 of its 120, has 60 of them back.
    nanos.addAndGet(30_000_000_000L);

    assertThat(limiter.trackedTenants()).isEqualTo(1);
    // Its bucket survived with its state (1 + 60 left, 60 after this one); a new one would have 119.
    assertThat(limiter.consume("ten_active", Plan.STARTER).getRemainingTokens()).isEqualTo(60);
  }
}
