package com.learncoin.gateway.issuance;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.JsonBodies;
import com.learncoin.gateway.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * {@code POST /v1/credentials/{id}/revoke}: sets the credential's bit in its status list (the
 * signed list is re-signed on its next read). Pending credentials can be revoked too; anchoring
 * later does not bring them back.
 */
public final class RevokeRoutes {
  private static final int MAX_REASON = 500;
  private static final String FIND = """
      SELECT c.tenant_id, c.status, b.environment FROM credentials c
        JOIN batches b ON b.id = c.batch_id WHERE c.id = $1 FOR UPDATE OF c""";
  private static final String REVOKE = """
      UPDATE credentials SET status = 'revoked', revoked_at = now(), revocation_reason = $2
       WHERE id = $1 RETURNING status_list_id""";
  private static final String STALE_LIST = "UPDATE status_lists SET signed = NULL WHERE id = $1";
  private static final String READ = """
      SELECT c.id, c.batch_id, c.status, c.recipient_id, c.vc, c.leaf, c.merkle_path, c.created_at,
             c.revoked_at, c.erased_at, b.anchor
        FROM credentials c JOIN batches b ON b.id = c.batch_id WHERE c.id = $1""";

  private final Pool pool;

  public RevokeRoutes(Pool pool) {
    this.pool = pool;
  }

  public void revoke(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    String id = ctx.pathParam("id");
    String reason = reason(JsonBodies.objectOrEmpty(ctx.body().buffer()));
    pool.withTransaction(tx -> tx.preparedQuery(FIND).execute(Tuple.of(id)).compose(rows -> {
      Row found = rows.size() == 0 ? null : rows.iterator().next();
      if (found == null || (found.getString("tenant_id").equals(key.tenantId())
          && !found.getString("environment").equals(key.environment()))) {
        return Future.failedFuture(ApiError.CREDENTIAL_NOT_FOUND.exception("No credential " + id
            + " for this tenant in " + key.environment() + " mode."));
      }
      if (!found.getString("tenant_id").equals(key.tenantId())) {
        return Future.failedFuture(ApiError.CREDENTIAL_NOT_OWNED.exception("Credential " + id
            + " belongs to another tenant."));
      }
      switch (found.getString("status")) {
        case "revoked":
          return Future.failedFuture(ApiError.CREDENTIAL_ALREADY_REVOKED.exception("Credential "
              + id + " is already revoked."));
        case "erased":
          return Future.failedFuture(ApiError.CREDENTIAL_ALREADY_ERASED.exception("Credential "
              + id + " was erased; it is revoked for good."));
        default:
          return tx.preparedQuery(REVOKE).execute(Tuple.of(id, reason))
              .compose(revoked -> tx.preparedQuery(STALE_LIST)
                  .execute(Tuple.of(revoked.iterator().next().getString("status_list_id"))))
              .compose(v -> tx.preparedQuery(READ).execute(Tuple.of(id)));
      }
    })).onFailure(ctx::fail).onSuccess(rows ->
        Responses.json(ctx, 200, CredentialRoutes.toJson(rows.iterator().next())));
  }

  private static String reason(JsonObject body) {
    Object reason = body.getValue("reason");
    if (reason == null) {
      return null;
    }
    if (!(reason instanceof String text) || text.length() > MAX_REASON) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("reason must be a string of at most "
          + MAX_REASON + " characters.");
    }
    return text;
  }
}
