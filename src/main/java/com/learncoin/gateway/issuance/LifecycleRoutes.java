package com.learncoin.gateway.issuance;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.JsonBodies;
import com.learncoin.gateway.http.Responses;
import com.learncoin.gateway.webhook.WebhookOutbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * What an issuer does after issuing. Revoke sets the credential's bit in its status list (the
 * signed list is re-signed on its next read); pending credentials can be revoked too, and
 * anchoring later does not bring them back. Erase (GDPR) removes the learner's personal data
 * everywhere it is kept, leaves a tombstone whose leaf still anchors the batch's other receipts,
 * and revokes the credential for good.
 */
public final class LifecycleRoutes {
  private static final int MAX_REASON = 500;
  private static final String FIND = """
      SELECT c.tenant_id, c.status, b.environment FROM credentials c
        JOIN batches b ON b.id = c.batch_id WHERE c.id = $1 FOR UPDATE OF c""";
  private static final String REVOKE = """
      UPDATE credentials SET status = 'revoked', revoked_at = now(), revocation_reason = $2
       WHERE id = $1 RETURNING status_list_id""";
  private static final String ERASE = """
      UPDATE credentials SET status = 'erased', erased_at = now(),
             revoked_at = coalesce(revoked_at, now()), recipient_id = NULL, recipient_name = NULL,
             recipient_email = NULL, input = NULL, vc = NULL
       WHERE id = $1 RETURNING status_list_id""";
  /** Stored answers that named the learner (a revoke's, say) go: a replay then runs again. */
  private static final String FORGET_RESPONSES = """
      DELETE FROM idempotency_keys
       WHERE tenant_id = $1 AND position(convert_to($2, 'UTF8') IN response_body) > 0""";
  private static final String RECIPIENT = "SELECT recipient_id FROM credentials WHERE id = $1";
  private static final String STALE_LIST = "UPDATE status_lists SET signed = NULL WHERE id = $1";
  private static final String READ = """
      SELECT c.id, c.batch_id, c.status, c.recipient_id, c.vc, c.leaf, c.merkle_path, c.created_at,
             c.revoked_at, c.erased_at, b.anchor
        FROM credentials c JOIN batches b ON b.id = c.batch_id WHERE c.id = $1""";

  private final Pool pool;

  public LifecycleRoutes(Pool pool) {
    this.pool = pool;
  }

  public void revoke(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    String id = ctx.pathParam("id");
    String reason = reason(JsonBodies.objectOrEmpty(ctx.body().buffer()));
    pool.withTransaction(tx -> owned(tx, key, id).compose(status -> {
      if ("revoked".equals(status)) {
        return Future.failedFuture(ApiError.CREDENTIAL_ALREADY_REVOKED.exception("Credential "
            + id + " is already revoked."));
      }
      return tx.preparedQuery(REVOKE).execute(Tuple.of(id, reason))
          .compose(revoked -> staleList(tx, revoked))
          .compose(v -> tx.preparedQuery(READ).execute(Tuple.of(id)))
          .compose(rows -> announce(tx, key, WebhookOutbox.CREDENTIAL_REVOKED, rows));
    })).onFailure(ctx::fail).onSuccess(rows ->
        Responses.json(ctx, 200, CredentialRoutes.toJson(rows.iterator().next())));
  }

  public void erase(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    String id = ctx.pathParam("id");
    pool.withTransaction(tx -> owned(tx, key, id)
        .compose(status -> tx.preparedQuery(RECIPIENT).execute(Tuple.of(id)))
        .compose(rows -> {
          String recipient = rows.iterator().next().getString("recipient_id");
          return recipient == null ? Future.succeededFuture()
              : tx.preparedQuery(FORGET_RESPONSES).execute(Tuple.of(key.tenantId(), recipient));
        })
        .compose(v -> tx.preparedQuery(ERASE).execute(Tuple.of(id)))
        .compose(erased -> staleList(tx, erased))
        .compose(v -> tx.preparedQuery(READ).execute(Tuple.of(id)))
        .compose(rows -> announce(tx, key, WebhookOutbox.CREDENTIAL_ERASED, rows)))
        .onFailure(ctx::fail).onSuccess(rows ->
            Responses.json(ctx, 200, CredentialRoutes.toJson(rows.iterator().next())));
  }

  /**
   * The credential's status, locked for the change, if this key may change it: another tenant's
   * is 403, one of this tenant's other environment 404, an erased one 409.
   */
  private static Future<String> owned(SqlConnection tx, ApiKey key, String id) {
    return tx.preparedQuery(FIND).execute(Tuple.of(id)).compose(rows -> {
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
      if ("erased".equals(found.getString("status"))) {
        return Future.failedFuture(ApiError.CREDENTIAL_ALREADY_ERASED.exception("Credential "
            + id + " was erased; it is revoked for good."));
      }
      return Future.succeededFuture(found.getString("status"));
    });
  }

  /** The webhook event, in the change's transaction; ids only, nothing about the learner. */
  private static Future<RowSet<Row>> announce(SqlConnection tx, ApiKey key, String type,
      RowSet<Row> rows) {
    Row credential = rows.iterator().next();
    return WebhookOutbox.record(tx, key.tenantId(), key.environment(), type, new JsonObject()
        .put("credential_id", credential.getString("id"))
        .put("batch_id", credential.getString("batch_id"))).map(rows);
  }

  private static Future<Void> staleList(SqlConnection tx, RowSet<Row> changed) {
    return tx.preparedQuery(STALE_LIST)
        .execute(Tuple.of(changed.iterator().next().getString("status_list_id"))).mapEmpty();
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
