package com.learncoin.gateway.issuance;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.common.Ids;
import com.learncoin.gateway.common.Timestamps;
import com.learncoin.gateway.db.DatabaseErrors;
import com.learncoin.gateway.http.ApiError;
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
  private static final String TENANT_ISSUER = "SELECT issuer_did FROM tenants WHERE id = $1";
  private static final String INSERT_BATCH = """
      INSERT INTO batches (id, tenant_id, environment, network, issuer, status, count,
                           idempotency_key)
      VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7)
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

  public BatchStore(Pool pool, TenantStore tenants) {
    this.pool = pool;
    this.tenants = tenants;
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

  private Future<JsonObject> insert(ApiKey key, BatchRequest request, String idempotencyKey) {
    int count = request.credentials().size();
    return pool.withTransaction(tx -> issuer(tx, key, request)
            .compose(issuer -> reserve(tx, key, count)
                .compose(v -> tx.preparedQuery(INSERT_BATCH).execute(Tuple.from(new Object[] {
                    Ids.ulid("bat_"), key.tenantId(), key.environment(), request.network(),
                    issuer, count, idempotencyKey}))))
            .map(rows -> rows.iterator().next())
            .compose(batch -> insertCredentials(tx, key, batch, request)
                .compose(v -> TenantStore.announceUsage(tx, key.tenantId()))
                .map(v -> toJson(batch))))
        .onSuccess(batch -> tenants.forgetUsage(key.tenantId()));
  }

  public Future<Optional<JsonObject>> find(ApiKey key, String id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id, key.tenantId(), key.environment()))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(toJson(rows.iterator().next())));
  }

  /**
   * The batch's issuer: on a live key of a plan with custom DIDs, the tenant's issuer_did (set by
   * PUT /v1/issuer) unless the body names one; a body naming another DID than the configured one is
   * refused (one issuer DID per tenant). Test batches, and tenants without issuer_did, keep the
   * body's issuer (null: the signing key's did:key).
   */
  private static Future<String> issuer(SqlConnection tx, ApiKey key, BatchRequest request) {
    if (!key.isLive() || !key.plan().allowsCustomIssuerDid()) {
      return Future.succeededFuture(request.issuer());
    }
    return tx.preparedQuery(TENANT_ISSUER).execute(Tuple.of(key.tenantId())).compose(rows -> {
      String configured = rows.size() == 0 ? null : rows.iterator().next().getString("issuer_did");
      if (configured == null || request.issuer() == null) {
        return Future.succeededFuture(configured != null ? configured : request.issuer());
      }
      return configured.equals(request.issuer()) ? Future.succeededFuture(configured)
          : Future.failedFuture(ApiError.INVALID_FIELD_FORMAT.exception("issuer must be this "
              + "tenant's issuer DID " + configured + " (set by PUT /v1/issuer) or be left out; "
              + "it was " + request.issuer() + "."));
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
        batch.getString("issuer"), count).compose(slots -> {
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
