package com.learncoin.gateway.issuance;

import com.learncoin.gateway.anchoring.Networks;
import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.Responses;
import com.learncoin.gateway.resilience.DependencyBreaker;
import io.vertx.core.eventbus.EventBus;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v1/batches} and {@code GET /v1/batches/{id}}. */
public final class BatchRoutes {
  private final BatchStore store;
  private final EventBus eventBus;
  private final DependencyBreaker signer;
  private final Networks networks;

  public BatchRoutes(BatchStore store, EventBus eventBus, DependencyBreaker signer,
      Networks networks) {
    this.store = store;
    this.eventBus = eventBus;
    this.signer = signer;
    this.networks = networks;
  }

  public void create(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    BatchRequest request = BatchValidator.validate(ctx.body().buffer(), key);
    if (!networks.has(request.network())) {
      throw ApiError.ANCHORING_CHAIN_UNAVAILABLE.exception("Network " + request.network()
          + " is not configured on this gateway (no RPC URL); nothing was stored.");
    }
    store.create(key, request, ctx.request().getHeader("Idempotency-Key"))
        .onFailure(ctx::fail)
        .onSuccess(batch -> {
          eventBus.send(Issuance.WAKE, null);
          String id = batch.getString("id");
          ctx.response().putHeader("Location", "/v1/batches/" + id);
          DependencyBreaker chain = networks.get(request.network()).breaker();
          if (signer.isOpen()) {
            ctx.fail(ApiError.SIGNING_KEY_UNAVAILABLE.exception(unavailable(id, "the signing key")));
          } else if (chain.isOpen()) {
            ctx.fail(ApiError.ANCHORING_CHAIN_UNAVAILABLE.exception(unavailable(id,
                "the " + request.network() + " chain")));
          } else {
            Responses.json(ctx, 202, batch);
          }
        });
  }

  /** The batch is stored and queued all the same: the client must not send it again. */
  private static String unavailable(String batchId, String dependency) {
    return "Batch " + batchId + " was stored and queued, but " + dependency + " is unavailable "
        + "right now; it will be completed automatically when it returns. Do not resend it; follow "
        + "it at /v1/batches/" + batchId + ".";
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
