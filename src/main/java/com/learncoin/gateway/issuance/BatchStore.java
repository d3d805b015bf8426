package com.learncoin.gateway.issuance;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.common.Ids;
import com.learncoin.gateway.common.Timestamps;
import com.learncoin.gateway.db.DatabaseErrors;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.identity.Issuers;
import com.learncoin.gateway.identity.TenantKey;
import com.learncoin.gateway.identity.TenantKeys;
import com.learncoin.gateway.signing.SignerUnavailableException;
import com.learncoin.gateway.statuslist.StatusListAllocator;
import com.learncoin.gateway.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Intake: quota reservation, the batch and its credentials in one transaction, so a refused or
 * failed intake leaves nothing behind.
 */
public final class BatchStore {
  private static final String RESERVE = """
      INSERT INTO monthly_usage (tenant_id, environment, month, credentials)
      VALUES ($1, $2, date_trunc('month', now() AT TIME ZONE 'UTC')::date, $3)
      ON CONFLICT (tenant_id, environment, month) DO UPDATE
         SET credentials = monthly_usage.credentials + EXCLUDED.credentials
       WHERE monthly_usage.credentials + EXCLUDED.credentials <= $4
      RETURNING credentials""";
  private static final String INSERT_BATCH = """
      INSERT INTO batches (id, tenant_id, environment, network, issuer, status, count,
                           idempotency_key, signing_key_id)
      VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8)
      RETURNING *""";
  private static final String INSERT_CREDENTIAL = """
      INSERT INTO credentials (id, batch_id, tenant_id, position, status, recipient_id,
                               recipient_name, recipient_email, input, status_list_id, status_index)
      VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10)""";
  private static final String FIND = """
      SELECT * FROM batches WHERE id = $1 AND tenant_id = $2 AND environment = $3""";
  private static final String FIND_BY_IDEMPOTENCY_KEY = """
      SELECT * FROM batches WHERE tenant_id = $1 AND environment = $2 AND idempotency_key = $3""";
  /**
   * Idempotency keys expire after 24 h (API.md §6); so does their hold on a batch. Like the keys,
   * the hold is per environment (the unique index is on tenant, environment and key).
   */
  private static final String RELEASE_EXPIRED_KEY = """
      UPDATE batches SET idempotency_key = NULL
       WHERE tenant_id = $1 AND environment = $2 AND idempotency_key = $3
         AND created_at < now() - interval '24 hours'""";

  private final Pool pool;
  private final TenantStore tenants;
  private final TenantKeys keys;

  public BatchStore(Pool pool, TenantStore tenants, TenantKeys keys) {
    this.pool = pool;
    this.tenants = tenants;
    this.keys = keys;
  }

  Future<JsonObject> create(ApiKey key, BatchRequest request, String idempotencyKey) {
    return insert(key, request, idempotencyKey).recover(e -> {
      if (!DatabaseErrors.isUniqueViolation(e) || idempotencyKey == null) {
        return Future.failedFuture(e);
      }
      return pool.preparedQuery(RELEASE_EXPIRED_KEY)
          .execute(Tuple.of(key.tenantId(), key.environment(), idempotencyKey))
          .compose(rows -> rows.rowCount() == 1 ? insert(key, request, idempotencyKey)
              : findByIdempotencyKey(key, idempotencyKey));
    });
  }

  /** The batch is pinned to the tenant's active key: its status list slots depend on it. */
  private Future<JsonObject> insert(ApiKey key, BatchRequest request, String idempotencyKey) {
    int count = request.credentials().size();
    return signingKey(key).compose(signingKey -> pool.withTransaction(tx -> issuer(tx, key, request)
            .compose(issuer -> reserve(tx, key, count)
                .compose(v -> tx.preparedQuery(INSERT_BATCH).execute(Tuple.from(new Object[] {
                    Ids.ulid("bat_"), key.tenantId(), key.environment(), request.network(),
                    issuer, count, idempotencyKey, signingKey.id()}))))
            .map(rows -> rows.iterator().next())
            .compose(batch -> insertCredentials(tx, key, batch, request)
                .compose(v -> TenantStore.announceUsage(tx, key.tenantId()))
                .map(v -> toJson(batch)))))
        .onSuccess(batch -> tenants.forgetUsage(key.tenantId()));
  }

  /** A tenant's first batch makes its key; if the vault (KMS) cannot, nothing is stored. */
  private Future<TenantKey> signingKey(ApiKey key) {
    return keys.active(key.tenantId(), key.environment()).recover(e -> Future.failedFuture(
        e instanceof SignerUnavailableException
            ? ApiError.SIGNING_KEY_UNAVAILABLE.exception("This tenant's signing key could not be "
                + "made (the key vault is unavailable); nothing was stored, retry later.")
            : e));
  }

  public Future<Optional<JsonObject>> find(ApiKey key, String id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id, key.tenantId(), key.environment()))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(toJson(rows.iterator().next())));
  }

  /**
   * The batch's issuer: on a live key, the tenant's verified did:web (unless the body names
   * another, which is refused), or null (the tenant's key's did:key) while it has none. A body
   * naming a DID that is not the tenant's verified one is 403 issuer_not_verified: a tenant never
   * signs under a DID it has not proven (PUT /v1/issuer, then POST /v1/issuer/verify).
   */
  private static Future<String> issuer(SqlConnection tx, ApiKey key, BatchRequest request) {
    if (!key.isLive() || !key.plan().allowsCustomIssuerDid()) {
      return Future.succeededFuture(request.issuer());
    }
    return Issuers.claimOf(tx, key.tenantId()).compose(claim -> {
      String verified = claim.filter(Issuers.Claim::isActive).map(Issuers.Claim::did).orElse(null);
      if (request.issuer() == null || request.issuer().equals(verified)) {
        return Future.succeededFuture(verified);
      }
      return Future.failedFuture(ApiError.ISSUER_NOT_VERIFIED.exception("issuer " + request.issuer()
          + " is not this tenant's verified issuer DID" + claim.map(c -> c.did().equals(
              request.issuer()) ? " yet: POST /v1/issuer/verify once its did.json is published"
              : " (that is " + c.did() + ", " + c.status() + ")")
          .orElse(": claim it with PUT /v1/issuer, publish its did.json, then POST "
              + "/v1/issuer/verify") + "; or leave issuer out."));
    });
  }

  private static Future<Void> reserve(SqlConnection tx, ApiKey key, int count) {
    int limit = key.plan().credentialsPerMonth();
    return tx.preparedQuery(RESERVE).execute(Tuple.of(key.tenantId(), key.environment(), count, limit))
        .compose(rows -> rows.size() == 1 && count <= limit ? Future.<Void>succeededFuture()
            : Future.failedFuture(ApiError.MONTHLY_QUOTA_EXCEEDED.exception("This batch of " + count
                + " credentials does not fit in the " + key.plan().id() + " plan's monthly quota of "
                + limit + " " + key.environment() + " credentials; nothing was stored.")));
  }

  private static Future<Void> insertCredentials(SqlConnection tx, ApiKey key, Row batch,
      BatchRequest request) {
    int count = request.credentials().size();
    String batchId = batch.getString("id");
    return StatusListAllocator.allocate(tx, key.tenantId(), key.environment(),
        batch.getString("issuer"), batch.getString("signing_key_id"), count).compose(slots -> {
      List<Tuple> rows = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        JsonObject credential = request.credentials().get(i);
        JsonObject recipient = credential.getJsonObject("recipient");
        rows.add(Tuple.from(new Object[] {Ids.ulid("cred_"), batchId, key.tenantId(), i,
            recipient.getString("id"), recipient.getString("name"), recipient.getString("email"),
            credential, slots.get(i).listId(), slots.get(i).index()}));
      }
      return tx.preparedQuery(INSERT_CREDENTIAL).executeBatch(rows).mapEmpty();
    });
  }

  /** A retry whose idempotency record was lost finds the batch its first attempt stored. */
  private Future<JsonObject> findByIdempotencyKey(ApiKey key, String idempotencyKey) {
    return pool.preparedQuery(FIND_BY_IDEMPOTENCY_KEY)
        .execute(Tuple.of(key.tenantId(), key.environment(), idempotencyKey))
        .map(rows -> toJson(rows.iterator().next()));
  }

  static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "batch")
        .put("status", row.getString("status"))
        .put("network", row.getString("network"))
        .put("count", row.getInteger("count"))
        .put("created_at", Timestamps.rfc3339(row.getOffsetDateTime("created_at")))
        .put("updated_at", Timestamps.rfc3339(row.getOffsetDateTime("updated_at")))
        .put("anchor", row.getJsonObject("anchor"))
        .put("last_error", row.getJsonObject("last_error"));
  }
}
