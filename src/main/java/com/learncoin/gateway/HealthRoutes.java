package com.learncoin.gateway;

import com.learncoin.gateway.anchoring.WalletWatch;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Responses;
import com.learncoin.gateway.ratelimit.RateLimiter;
import com.learncoin.gateway.resilience.DependencyBreaker;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Liveness (the process answers) and readiness: the database answers, and no dependency's breaker
 * (the signer's, each chain's) is open. With a shared rate limit store its state is shown too, but
 * never makes the node unready: a node whose store does not answer limits alone and keeps serving.
 */
public final class HealthRoutes {
  private static final long DB_CHECK_TIMEOUT_MILLIS = 2_000;

  private final Pool pool;
  private final Map<String, DependencyBreaker> dependencies;
  private final RateLimiter rateLimiter;

  /** {@code dependencies}: each check's name in the readiness answer, and its breaker. */
  public HealthRoutes(Pool pool, Map<String, DependencyBreaker> dependencies,
      RateLimiter rateLimiter) {
    this.pool = pool;
    this.dependencies = new LinkedHashMap<>(dependencies);
    this.rateLimiter = rateLimiter;
  }

  public void live(RoutingContext ctx) {
    Responses.json(ctx, 200, new JsonObject().put("status", "live"));
  }

  public void ready(RoutingContext ctx) {
    pool.query("SELECT 1").execute()
        .timeout(DB_CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .onComplete(db -> {
          JsonObject checks = new JsonObject().put("database", db.succeeded() ? "ok" : "down");
          boolean ready = db.succeeded();
          for (var dependency : dependencies.entrySet()) {
            DependencyBreaker breaker = dependency.getValue();
            checks.put(dependency.getKey(), WalletWatch.underfunded(breaker)
                ? WalletWatch.UNDERFUNDED : breaker.isOpen() ? "down" : "ok");
            ready &= !dependency.getValue().isOpen();
          }
          rateLimiter.storeState().ifPresent(state -> checks.put("rate_limit", state));
          if (ready) {
            Responses.json(ctx, 200, new JsonObject().put("status", "ready").put("checks", checks));
          } else {
            Responses.error(ctx, ApiError.SERVICE_UNAVAILABLE, "Not ready: " + checks.encode());
          }
        });
  }
}
