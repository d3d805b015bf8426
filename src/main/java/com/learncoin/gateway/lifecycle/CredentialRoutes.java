package com.learncoin.gateway.lifecycle;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.Pagination;
import com.learncoin.gateway.http.Responses;
import com.learncoin.gateway.issuance.BatchStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** Reads: one credential, and a batch's credentials page by page (cursor after an id). */
public final class CredentialRoutes {
  private final CredentialStore credentials;
  private final BatchStore batches;

  public CredentialRoutes(CredentialStore credentials, BatchStore batches) {
    this.credentials = credentials;
    this.batches = batches;
  }

  public void get(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    String id = ctx.pathParam("id");
    credentials.find(key, id).onFailure(ctx::fail).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.fail(ApiError.CREDENTIAL_NOT_FOUND.exception("No credential " + id
            + " for this tenant in " + key.environment() + " mode."));
      } else {
        Responses.json(ctx, 200, found.get());
      }
    });
  }

  public void listOfBatch(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    String batchId = ctx.pathParam("id");
    int limit = Pagination.limit(ctx.queryParams().get("limit"));
    String after = ctx.queryParams().get("starting_after");
    batches.find(key, batchId).compose(batch -> batch.isEmpty()
            ? Future.failedFuture(ApiError.BATCH_NOT_FOUND.exception("No batch " + batchId
                + " for this tenant in " + key.environment() + " mode."))
            : credentials.pageOfBatch(batchId, after, limit))
        .onFailure(ctx::fail)
        .onSuccess(page -> Responses.json(ctx, 200, page));
  }
}
