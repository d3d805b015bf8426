package com.learncoin.gateway.lifecycle;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.common.Timestamps;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Pagination;
import com.learncoin.gateway.idempotency.IdempotencyHandler;
import com.learncoin.gateway.idempotency.IdempotencyStore;
import com.learncoin.gateway.statuslist.StatusLists;
import com.learncoin.gateway.webhook.WebhookOutbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Issued credentials after issuance: reads, revoke and erase, and the revocation bit verify asks
 * for. Revoke and erase change the row, stale its status list and record the webhook event in one
 * transaction.
 */
public final class CredentialStore {
  private final Pool pool;
  private final IdempotencyHandler idempotency;

  public CredentialStore(Pool pool, IdempotencyHandler idempotency) {
    this.pool = pool;
    this.idempotency = idempotency;
  }

  public Future<Optional<JsonObject>> find(ApiKey key, String id) {
    return pool.preparedQuery(CredentialSql.ONE).execute(Tuple.of(id, key.tenantId(), key.environment()))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(toJson(rows.iterator().next())));
  }

  /** A page of a batch's credentials in issue order, after the credential {@code after} if set. */
  public Future<JsonObject> pageOfBatch(String batchId, String after, int limit) {
    return position(batchId, after)
        .compose(position -> pool.preparedQuery(CredentialSql.PAGE)
            .execute(Tuple.of(batchId, position, limit + 1)))
        .map(rows -> Pagination.page(rows, limit, CredentialStore::toJson));
  }

  public Future<JsonObject> revoke(ApiKey key, String id, String reason) {
    return pool.withTransaction(tx -> lockOwned(tx, key, id).compose(status -> {
      if ("revoked".equals(status)) {
        return Future.failedFuture(ApiError.CREDENTIAL_ALREADY_REVOKED.exception("Credential "
            + id + " is already revoked."));
      }
      return tx.preparedQuery(CredentialSql.REVOKE).execute(Tuple.of(id, reason))
          .compose(revoked -> afterChange(tx, key, id, revoked, WebhookOutbox.CREDENTIAL_REVOKED));
    }));
  }

  /**
   * Erase (GDPR): the learner's data goes everywhere it is kept, stored idempotent answers
   * included (in the database here, in every node's cache over the change feed; this node's at once).
   */
  public Future<JsonObject> erase(ApiKey key, String id) {
    return pool.withTransaction(tx -> lockOwned(tx, key, id)
        .compose(status -> tx.preparedQuery(CredentialSql.RECIPIENT).execute(Tuple.of(id)))
        .compose(rows -> IdempotencyStore.forgetErased(tx, key.tenantId(), id,
            rows.iterator().next().getString("recipient_id")))
        .compose(v -> tx.preparedQuery(CredentialSql.ERASE).execute(Tuple.of(id)))
        .compose(erased -> afterChange(tx, key, id, erased, WebhookOutbox.CREDENTIAL_ERASED)))
        .onSuccess(erased -> idempotency.forgetTenant(key.tenantId()));
  }

  /**
   * In the transaction that stores a revoke's idempotent answer: locks the credential's row
   * (FOR SHARE: an erasure, which takes it FOR UPDATE, waits) and tells whether it is not erased.
   */
  public static Future<Boolean> lockUnerased(SqlConnection tx, String id) {
    return tx.preparedQuery(CredentialSql.LOCK_SHARED).execute(Tuple.of(id))
        .map(rows -> rows.size() == 1 && !"erased".equals(rows.iterator().next().getString("status")));
  }

  /**
   * In the caller's transaction (a key being retired): revokes every credential {@code keyId}
   * signed, stales their status lists and records a credential.revoked event for each; how many.
   */
  public static Future<Integer> revokeSignedWith(SqlConnection tx, String tenantId, String keyId) {
    return tx.preparedQuery(CredentialSql.REVOKE_SIGNED_WITH)
        .execute(Tuple.of(tenantId, keyId, "signing key " + keyId + " was retired"))
        .compose(rows -> {
          Set<String> lists = new LinkedHashSet<>();
          Future<Void> chain = Future.succeededFuture();
          for (Row row : rows) {
            lists.add(row.getString("status_list_id"));
            chain = chain.compose(v -> WebhookOutbox.record(tx, tenantId,
                row.getString("environment"), WebhookOutbox.CREDENTIAL_REVOKED, new JsonObject()
                    .put("credential_id", row.getString("id"))
                    .put("batch_id", row.getString("batch_id"))));
          }
          for (String list : lists) {
            chain = chain.compose(v -> StatusLists.markStale(tx, list));
          }
          return chain.map(rows.rowCount());
        });
  }

  /** Whether bit {@code index} of our status list {@code listId} is set. */
  public Future<Boolean> isRevoked(String listId, int index) {
    return pool.preparedQuery(CredentialSql.REVOKED_BIT).execute(Tuple.of(listId, index))
        .map(rows -> rows.size() > 0);
  }

  private Future<Integer> position(String batchId, String after) {
    if (after == null) {
      return Future.succeededFuture(-1);
    }
    return pool.preparedQuery(CredentialSql.CURSOR).execute(Tuple.of(after, batchId)).compose(rows ->
        rows.size() == 0
            ? Future.failedFuture(ApiError.INVALID_FIELD_FORMAT.exception("starting_after must be "
                + "the id of a credential of this batch; " + after + " is not."))
            : Future.succeededFuture(rows.iterator().next().getInteger("position")));
  }

  /**
   * The credential's status, locked for the change, if this key may change it: another tenant's
   * is 403, one of this tenant's other environment 404, an erased one 409.
   */
  private static Future<String> lockOwned(SqlConnection tx, ApiKey key, String id) {
    return tx.preparedQuery(CredentialSql.LOCK).execute(Tuple.of(id)).compose(rows -> {
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

  /** Stale the status list, read the changed credential, record the event (ids only). */
  private static Future<JsonObject> afterChange(SqlConnection tx, ApiKey key, String id,
      RowSet<Row> changed, String eventType) {
    return StatusLists.markStale(tx, changed.iterator().next().getString("status_list_id"))
        .compose(v -> tx.preparedQuery(CredentialSql.READ).execute(Tuple.of(id)))
        .compose(rows -> {
          Row credential = rows.iterator().next();
          return WebhookOutbox.record(tx, key.tenantId(), key.environment(), eventType,
              new JsonObject().put("credential_id", id)
                  .put("batch_id", credential.getString("batch_id")))
              .map(v -> toJson(credential));
        });
  }

  static JsonObject toJson(Row row) {
    String vc = row.getString("vc");
    JsonObject batchAnchor = row.getJsonObject("anchor");
    JsonObject receipt = batchAnchor == null || row.getString("leaf") == null ? null
        // The receipt names the root in the transaction; the batch's own root is the batch's.
        : batchAnchor.copy().put("leaf", row.getString("leaf"))
            .put("path", row.getJsonArray("merkle_path"));
    if (receipt != null) {
      receipt.remove("batch_root");
    }
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
