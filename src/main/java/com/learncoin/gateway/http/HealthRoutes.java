package com.learncoin.gateway.http;

import com.learncoin.gateway.issuance.DependencyBreaker;
import com.learncoin.gateway.issuance.Issuance;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/**
 * Liveness (the process answers) and readiness: the database answers, and neither the signer's
 * nor a chain's breaker is open.
 */
public final class HealthRoutes {
  private static final long DB_CHECK_TIMEOUT_MILLIS = 2_000;

  private final Pool pool;
  private final Issuance issuance;

  public HealthRoutes(Pool pool, Issuance issuance) {
    this.pool = pool;
    this.issuance = issuance;
  }

  public void live(RoutingContext ctx) {
    Responses.json(ctx, 200, new JsonObject().put("status", "live"));
  }

  public void ready(RoutingContext ctx) {
    pool.query("SELECT 1").execute()
        .timeout(DB_CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .onComplete(db -> {
          JsonObject checks = new JsonObject().put("database", db.succeeded() ? "ok" : "down");
          boolean ready = db.succeeded() & check(checks, "signer", issuance.signerBreaker());
          for (var network : issuance.networks().byName().values()) {
            ready &= check(checks, "chain:" + network.name(), network.breaker());
          }
          if (ready) {
            Responses.json(ctx, 200, new JsonObject().put("status", "ready").put("checks", checks));
          } else {
            Responses.error(ctx, ApiError.SERVICE_UNAVAILABLE, "Not ready: " + checks.encode());
          }
        });
  }

  private static boolean check(JsonObject checks, String name, DependencyBreaker breaker) {
    checks.put(name, breaker.isOpen() ? "down" : "ok");
    return !breaker.isOpen();
  }
}
