package com.learncoin.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.auth.Plan;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * One token bucket per tenant, shared by all its keys (API.md §4). Buckets of idle tenants are
 * evicted, so memory follows the active tenants, not all of them; an evicted tenant comes back
 * with a full bucket, which is what an idle tenant's bucket would hold anyway.
 */
public final class RateLimiter implements Handler<RoutingContext> {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  static final Duration IDLE_EVICTION = Duration.ofMinutes(2);
  static final long MAX_TENANTS = 500_000;

  private final Cache<String, TenantBucket> buckets;

  public RateLimiter() {
    this(Ticker.systemTicker());
  }

  /** With the clock that ages idle buckets (tests move it forward). */
  RateLimiter(Ticker ticker) {
    buckets = Caffeine.newBuilder()
        .ticker(ticker)
        // Evictions run on the calling thread: small, amortised, and deterministic in tests.
        .executor(Runnable::run)
        .expireAfterAccess(IDLE_EVICTION)
        .maximumSize(MAX_TENANTS)
        .build();
  }

  @Override
  public void handle(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    ConsumptionProbe probe = consume(key.tenantId(), key.plan());
    int limit = key.plan().requestsPerMinute();
    long waitSeconds = (probe.getNanosToWaitForRefill() + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    HttpServerResponse response = ctx.response();
    response.putHeader("RateLimit-Policy", "\"tenant\";q=" + limit + ";w=60");
    response.putHeader("RateLimit", "\"tenant\";r=" + probe.getRemainingTokens() + ";t="
        + (probe.getRemainingTokens() > 0 ? 0 : Math.max(1, waitSeconds)));
    if (probe.isConsumed()) {
      ctx.next();
      return;
    }
    long retryAfter = Math.max(1, waitSeconds);
    response.putHeader("Retry-After", Long.toString(retryAfter));
    ctx.fail(ApiError.RATE_LIMITED.exception("Rate limit of " + limit + " requests per minute for "
        + "this tenant's " + key.plan().id() + " plan exceeded; retry after " + retryAfter + " s."));
  }

  /** One request's token for the tenant, under its plan as of now. */
  ConsumptionProbe consume(String tenantId, Plan plan) {
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

  /** A bucket that follows its tenant's plan: a plan change reshapes it on the next request. */
  private static final class TenantBucket {
    private final Bucket bucket;
    private volatile Plan plan;

    TenantBucket(Plan plan) {
      this.plan = plan;
      this.bucket = Bucket.builder().addLimit(configuration(plan).getBandwidths()[0]).build();
    }

    ConsumptionProbe consume(Plan current) {
      if (current != plan) {
        synchronized (this) {
          if (current != plan) {
            // ADDITIVE: an upgrade gives the difference at once, a downgrade takes it away.
            bucket.replaceConfiguration(configuration(current), TokensInheritanceStrategy.ADDITIVE);
            plan = current;
          }
        }
      }
      return bucket.tryConsumeAndReturnRemaining(1);
    }

    private static BucketConfiguration configuration(Plan plan) {
      int perMinute = plan.requestsPerMinute();
      return BucketConfiguration.builder()
          .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
          .build();
    }
  }
}
