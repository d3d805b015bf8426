package com.learncoin.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import com.learncoin.gateway.auth.Plan;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code LEARNCOIN_RATE_LIMIT=local}: one token bucket per tenant in this node's memory, the bucket
 * Bucket4j's {@code capacity(plan).refillGreedy(plan, 1 minute)} describes, kept as one number:
 * the time at which it is full again (the "generic cell rate algorithm" form of a token bucket).
 *
 * <p>Why not a Bucket4j bucket per tenant: at 100,000 tenants those (about 400 bytes and 15
 * objects each, plus a new state object on every request) were a quarter of the live heap, and
 * the collector marked that heap without pause (docs/benchmarks.md "Many tenants"). This is
 * some 70 bytes and 2 objects a tenant, and allocates nothing per request but the probe.
 *
 * <p>A full bucket is the same as no bucket, so {@link #sweep()} (every minute) drops full ones:
 * memory follows the tenants active in the last minute, not all of them.
 */
final class LocalLimits implements Limits {
  /** Also how long the cluster mode keeps an idle tenant's lease. */
  static final Duration IDLE_EVICTION = Duration.ofMinutes(2);
  static final long MAX_TENANTS = 500_000;
  static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
  private static final long WINDOW = Duration.ofMinutes(1).toNanos();

  private final Ticker clock;
  private final ConcurrentHashMap<String, TenantBucket> buckets = new ConcurrentHashMap<>();

  private Vertx vertx;
  private long sweeper = -1;

  /** With the clock the buckets refill by (tests move it forward). */
  LocalLimits(Ticker clock) {
    this.clock = clock;
  }

  /** Sweeps every {@link #SWEEP_EVERY} on a worker thread until {@link #close()}. */
  LocalLimits sweepEvery(Vertx vertx) {
    this.vertx = vertx;
    this.sweeper = vertx.setPeriodic(SWEEP_EVERY.toMillis(),
        id -> vertx.executeBlocking(() -> {
          sweep();
          return null;
        }, false));
    return this;
  }

  @Override
  public Future<Void> close() {
    if (vertx != null) {
      vertx.cancelTimer(sweeper);
    }
    return Future.succeededFuture();
  }

  @Override
  public ConsumptionProbe consume(String tenantId, Plan plan) {
    while (true) {
      long now = clock.read();
      TenantBucket bucket = buckets.computeIfAbsent(tenantId, id -> new TenantBucket(plan, now));
      ConsumptionProbe probe = bucket.consume(plan, now);
      if (probe != null) {
        return probe;
      }
      // Swept (full) between the look-up and now: take the new one, so no token goes astray.
    }
  }

  /** Drops the buckets that are full by now; run off the event loop (it visits every bucket). */
  void sweep() {
    long now = clock.read();
    buckets.forEach((tenantId, bucket) -> {
      if (bucket.retireIfFull(now)) {
        buckets.remove(tenantId, bucket);
      }
    });
  }

  /** Tenants with a bucket that is not full, after a sweep. */
  long trackedTenants() {
    sweep();
    return buckets.size();
  }

  /** A plan's bucket as Bucket4j describes it (the cluster mode's shared buckets and leases). */
  static BucketConfiguration configuration(long perMinute) {
    return BucketConfiguration.builder()
        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
        .build();
  }

  /**
   * Capacity C = the plan's requests per minute, refilled continuously, a token every
   * T = 1 minute / C (exact in nanoseconds for every plan). Holding {@code fullAt}, the bucket
   * lacks (fullAt - now) / T tokens; a request is admitted if taking its token leaves that
   * shortfall within one minute.
   */
  private static final class TenantBucket {
    private Plan plan; // guarded by this
    private long fullAt; // guarded by this: on the clock, when no token is lacking
    private boolean retired; // guarded by this: swept, no longer in the map

    TenantBucket(Plan plan, long now) {
      this.plan = plan;
      this.fullAt = now;
    }

    /** Null if this bucket was swept meanwhile. */
    synchronized ConsumptionProbe consume(Plan current, long now) {
      if (retired) {
        return null;
      }
      long owed = Math.max(0, fullAt - now); // nanos until full: the tokens lacking × T
      if (current != plan) {
        owed = replan(owed, plan.requestsPerMinute(), current.requestsPerMinute());
        plan = current;
      }
      long interval = interval(plan);
      long after = owed + interval;
      if (after > WINDOW) {
        fullAt = now + owed;
        return ConsumptionProbe.rejected(0, after - WINDOW, owed);
      }
      fullAt = now + after;
      return ConsumptionProbe.consumed((WINDOW - after) / interval, after);
    }

    synchronized boolean retireIfFull(long now) {
      retired = fullAt - now <= 0; // nanoTime may wrap: compare the difference
      return retired;
    }

    /**
     * Bucket4j's ADDITIVE: an upgrade adds the difference in capacity to the tokens left (the
     * tokens lacking stay as many), a downgrade caps them at the new capacity. {@code owed} is
     * lacking × 1 minute / capacity, in nanos.
     */
    static long replan(long owed, long before, long after) {
      if (after >= before) {
        return owed * before / after;
      }
      return Math.max(0, WINDOW - (WINDOW - owed) * before / after);
    }

    private static long interval(Plan plan) {
      return WINDOW / plan.requestsPerMinute();
    }
  }
}
