package com.learncoin.gateway.issuance;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.common.Timestamps;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.Pagination;
import com.learncoin.gateway.http.Responses;
import com.learncoin.gateway.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** Reads: one credential, and a batch's credentials page by page (cursor after an id). */
public final class CredentialRoutes {
  private static final String COLUMNS = """
      c.id, c.batch_id, c.status, c.recipient_id, c.vc, c.leaf, c.merkle_path, c.created_at,
      c.revoked_at, c.erased_at, b.anchor""";
  private static final String ONE = "SELECT " + COLUMNS + """
       FROM credentials c JOIN batches b ON b.id = c.batch_id
      WHERE c.id = $1 AND c.tenant_id = $2 AND b.environment = $3""";
  private static final String PAGE = "SELECT " + COLUMNS + """
       FROM credentials c JOIN batches b ON b.id = c.batch_id
      WHERE c.batch_id = $1 AND c.position > $2 ORDER BY c.position LIMIT $3""";
  private static final String CURSOR =
      "SELECT position FROM credentials WHERE id = $1 AND batch_id = $2";

  private final Pool pool;
  private final BatchStore batches;

  public CredentialRoutes(Pool pool, TenantStore tenants) {
    this.pool = pool;
    this.batches = new BatchStore(pool, tenants);
  }

  public void get(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    String id = ctx.pathParam("id");
    pool.preparedQuery(ONE).execute(Tuple.of(id, key.tenantId(), key.environment()))
        .onFailure(ctx::fail)
        .onSuccess(rows -> {
          if (rows.size() == 0) {
            ctx.fail(ApiError.CREDENTIAL_NOT_FOUND.exception("No credential " + id
                + " for this tenant in " + key.environment() + " mode."));
          } else {
            Responses.json(ctx, 200, toJson(rows.iterator().next()));
          }
        });
  }

  public void listOfBatch(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    String batchId = ctx.pathParam("id");
    int limit = Pagination.limit(ctx.queryParams().get("limit"));
    String after = ctx.queryParams().get("starting_after");
    batches.find(key, batchId).compose(batch -> {
      if (batch.isEmpty()) {
        return Future.failedFuture(ApiError.BATCH_NOT_FOUND.exception("No batch " + batchId
            + " for this tenant in " + key.environment() + " mode."));
      }
      return cursor(batchId, after);
    }).compose(position -> pool.preparedQuery(PAGE).execute(Tuple.of(batchId, position, limit + 1)))
        .onFailure(ctx::fail)
        .onSuccess(rows -> Responses.json(ctx, 200,
            Pagination.page(rows, limit, CredentialRoutes::toJson)));
  }

  private Future<Integer> cursor(String batchId, String after) {
    if (after == null) {
      return Future.succeededFuture(-1);
    }
    return pool.preparedQuery(CURSOR).execute(Tuple.of(after, batchId)).compose(rows ->
        rows.size() == 0
            ? Future.failedFuture(ApiError.INVALID_FIELD_FORMAT.exception("starting_after must be "
                + "the id of a credential of this batch; " + after + " is not."))
            : Future.succeededFuture(rows.iterator().next().getInteger("position")));
  }

  static JsonObject toJson(Row row) {
    String vc = row.getString("vc");
    JsonObject batchAnchor = row.getJsonObject("anchor");
    JsonObject receipt = batchAnchor == null || row.getString("leaf") == null ? null
        : batchAnchor.copy().put("leaf", row.getString("leaf"))
            .put("path", row.getJsonArray("merkle_path"));
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "credential")
        .put("batch_id", row.getString("batch_id"))
        .put("status", row.getString("status"))
        .put("recipient_id", row.getString("recipient_id"))
        .put("credential", vc == null ? null : new JsonObject(vc))
        .put("anchor", receipt)
        .put("created_at", Timestamps.rfc3339(row.getOffsetDateTime("created_at")))
        .put("revoked_at", Timestamps.rfc3339(row.getOffsetDateTime("revoked_at")))
        .put("erased_at", Timestamps.rfc3339(row.getOffsetDateTime("erased_at")));
  }
}
