package com.learncoin.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.learncoin.gateway.auth.Plan;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;

/**
 * {@code LEARNCOIN_RATE_LIMIT=local}: one Bucket4j bucket per tenant in this node's memory. Buckets
 * of idle tenants are evicted, so memory follows the active tenants, not all of them; an evicted
 * tenant comes back with a full bucket, which is what an idle tenant's bucket would hold anyway.
 */
final class LocalLimits implements Limits {
  static final Duration IDLE_EVICTION = Duration.ofMinutes(2);
  static final long MAX_TENANTS = 500_000;

  private final Cache<String, TenantBucket> buckets;

  /** With the clock that ages idle buckets (tests move it forward). */
  LocalLimits(Ticker ticker) {
    buckets = Caffeine.newBuilder()
        .ticker(ticker)
        // Evictions run on the calling thread: small, amortised, and deterministic in tests.
        .executor(Runnable::run)
        .expireAfterAccess(IDLE_EVICTION)
        .maximumSize(MAX_TENANTS)
        .build();
  }

  @Override
  public ConsumptionProbe consume(String tenantId, Plan plan) {
    return buckets.get(tenantId, id -> new TenantBucket(plan)).consume(plan);
  }

  /** After pending maintenance (Caffeine amortises it over later calls). */
  long trackedTenants() {
    long before;
    do {
      before = buckets.estimatedSize();
      buckets.cleanUp();
    } while (buckets.estimatedSize() != before);
    return before;
  }

  /** A plan's bucket: capacity one minute of requests, refilled greedily over the minute. */
  static BucketConfiguration configuration(long perMinute) {
    return BucketConfiguration.builder()
        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
        .build();
  }

  /** A bucket that follows its tenant's plan: a plan change reshapes it on the next request. */
  private static final class TenantBucket {
    private final Bucket bucket;
    private volatile Plan plan;

    TenantBucket(Plan plan) {
      this.plan = plan;
      this.bucket = Bucket.builder()
          .addLimit(configuration(plan.requestsPerMinute()).getBandwidths()[0]).build();
    }

    ConsumptionProbe consume(Plan current) {
      if (current != plan) {
        synchronized (this) {
          if (current != plan) {
            // ADDITIVE: an upgrade gives the difference at once, a downgrade takes it away.
            bucket.replaceConfiguration(configuration(current.requestsPerMinute()),
                TokensInheritanceStrategy.ADDITIVE);
            plan = current;
          }
        }
      }
      return bucket.tryConsumeAndReturnRemaining(1);
    }
  }
}
