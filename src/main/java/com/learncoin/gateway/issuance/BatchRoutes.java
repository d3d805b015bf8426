package com.learncoin.gateway.issuance;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.Responses;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/** {@code POST /v1/batches} and {@code GET /v1/batches/{id}}. */
public final class BatchRoutes {
  private final BatchStore store;

  public BatchRoutes(Pool pool) {
    this.store = new BatchStore(pool);
  }

  public void create(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    BatchRequest request = BatchValidator.validate(ctx.body().buffer(), key);
    store.create(key, request, ctx.request().getHeader("Idempotency-Key"))
        .onFailure(ctx::fail)
        .onSuccess(batch -> {
          ctx.response().putHeader("Location", "/v1/batches/" + batch.getString("id"));
          Responses.json(ctx, 202, batch);
        });
  }

  public void get(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    String id = ctx.pathParam("id");
    store.find(key, id)
        .onFailure(ctx::fail)
        .onSuccess(batch -> {
          if (batch.isEmpty()) {
            ctx.fail(ApiError.BATCH_NOT_FOUND.exception("No batch " + id + " for this tenant in "
                + key.environment() + " mode."));
          } else {
            Responses.json(ctx, 200, batch.get());
          }
        });
  }
}
