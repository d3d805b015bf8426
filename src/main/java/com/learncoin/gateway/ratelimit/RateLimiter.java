package com.learncoin.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.auth.Plan;
import com.learncoin.gateway.config.Config;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.metrics.Metrics;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgConnectOptions;
import java.util.Optional;

/**
 * One token bucket per tenant, shared by all its keys (API.md §4): in this node's memory
 * ({@code LEARNCOIN_RATE_LIMIT=local}), or one bucket in PostgreSQL shared by every node, spent
 * from leases held in memory ({@code postgresql}, see {@link ClusterLimits}). Either way a request
 * is judged in memory and never waits on the network.
 */
public final class RateLimiter implements Handler<RoutingContext> {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final Limits limits;

  RateLimiter(Limits limits) {
    this.limits = limits;
  }

  /** As configured; with a shared store, its connections and threads start here. */
  public static RateLimiter create(Vertx vertx, Config config, PgConnectOptions database,
      Metrics metrics) {
    if (!config.sharedRateLimit()) {
      return new RateLimiter(new LocalLimits(Ticker.systemTicker()).sweepEvery(vertx));
    }
    ClusterLimits cluster = ClusterLimits.start(vertx, database, config.rateLimitSyncMillis());
    metrics.rateLimitStore(cluster::degraded, cluster::liveNodes);
    return new RateLimiter(cluster);
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
    return limits.consume(tenantId, plan);
  }

  /**
   * With a shared store: {@code "ok"}, or {@code "degraded"} while this node limits alone because
   * the store does not answer. Empty in local mode. Never makes the node unready.
   */
  public Optional<String> storeState() {
    return limits.storeState();
  }

  /** Stops the shared store's threads and leaves the live nodes; nothing to do in local mode. */
  public Future<Void> close() {
    return limits.close();
  }
}
