package com.learncoin.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.auth.Plan;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The local limiter's bucket admits exactly as the Bucket4j bucket it replaced")
class LocalLimitsTest {

  @Test
  @DisplayName("same admissions, remaining tokens and waits as Bucket4j over bursts, pauses and plan changes")
  void sameAsBucket4j() {
    AtomicLong nanos = new AtomicLong(-5_000_000_000L); // System.nanoTime() may be negative
    LocalLimits limits = new LocalLimits(nanos::get);
    TimeMeter meter = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return nanos.get();
      }

      @Override
      public boolean isWallClockBased() {
        return false;
      }
    };
    Plan plan = Plan.STARTER;
    Bucket reference = Bucket.builder().withCustomTimePrecision(meter)
        .addLimit(LocalLimits.configuration(plan.requestsPerMinute()).getBandwidths()[0]).build();
    Random random = new Random(16);
    int admitted = 0;
    int rejected = 0;
    for (int step = 0; step < 200_000; step++) {
      int dice = random.nextInt(1_000);
      if (dice == 0) {
        Plan next = Plan.values()[random.nextInt(Plan.values().length)];
        reference.replaceConfiguration(LocalLimits.configuration(next.requestsPerMinute()),
            TokensInheritanceStrategy.ADDITIVE);
        plan = next;
      } else if (dice < 20) {
        nanos.addAndGet(random.nextLong(20_000_000_000L)); // a pause of up to 20 s
      } else {
        nanos.addAndGet(random.nextLong(2_000_000)); // a burst: up to 2 ms apart
      }
      ConsumptionProbe expected = reference.tryConsumeAndReturnRemaining(1);
      ConsumptionProbe actual = limits.consume("ten_1", plan);
      String at = "step " + step + ", " + plan;
      assertThat(actual.isConsumed()).as(at).isEqualTo(expected.isConsumed());
      assertThat(actual.getRemainingTokens()).as(at).isEqualTo(expected.getRemainingTokens());
      assertThat(actual.getNanosToWaitForRefill()).as(at)
          .isEqualTo(expected.getNanosToWaitForRefill());
      if (actual.isConsumed()) {
        admitted++;
      } else {
        rejected++;
      }
    }
    assertThat(admitted).isGreaterThan(1_000);
    assertThat(rejected).isGreaterThan(1_000);
  }

  @Test
  @DisplayName("a bucket swept while full comes back full; one in use is never swept")
  void sweepDropsOnlyFullBuckets() {
    AtomicLong nanos = new AtomicLong();
    LocalLimits limits = new LocalLimits(nanos::get);
    limits.consume("ten_idle", Plan.STARTER);
    for (int i = 0; i < 120; i++) {
      limits.consume("ten_busy", Plan.STARTER);
    }
    nanos.addAndGet(1_000_000_000L); // the idle tenant's token is back (one every 0.5 s)
    assertThat(limits.trackedTenants()).isEqualTo(1);
    // 2 of the busy tenant's 120 tokens are back, and its state survived the sweep.
    assertThat(limits.consume("ten_busy", Plan.STARTER).getRemainingTokens()).isEqualTo(1);
    assertThat(limits.consume("ten_idle", Plan.STARTER).getRemainingTokens()).isEqualTo(119);
  }
}
