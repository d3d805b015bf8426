package com.learncoin.gateway.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/** Liveness (the process answers) and readiness (its dependencies answer). */
public final class HealthRoutes {
  private static final long DB_CHECK_TIMEOUT_MILLIS = 2_000;

  private final Pool pool;

  public HealthRoutes(Pool pool) {
    this.pool = pool;
  }

  public void live(RoutingContext ctx) {
    Responses.json(ctx, 200, new JsonObject().put("status", "live"));
  }

  public void ready(RoutingContext ctx) {
    pool.query("SELECT 1").execute()
        .timeout(DB_CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .onSuccess(rows -> Responses.json(ctx, 200, new JsonObject().put("status", "ready")
            .put("checks", new JsonObject().put("database", "ok"))))
        .onFailure(e -> Responses.error(ctx, ApiError.SERVICE_UNAVAILABLE,
            "Not ready: the database does not answer."));
  }
}
