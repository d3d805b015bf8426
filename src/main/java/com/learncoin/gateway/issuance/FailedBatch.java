package com.learncoin.gateway.issuance;

import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.metrics.Metrics;
import com.learncoin.gateway.webhook.WebhookOutbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** A batch's {@code last_error}, and the one way a batch ends failed. */
final class FailedBatch {
  private FailedBatch() {}

  /** {@code last_error} as batches show it: an API error code and a message. */
  static JsonObject error(ApiError code, String message) {
    return new JsonObject().put("code", code.code()).put("message", message);
  }

  /** Status failed, {@code last_error}, and the {@code batch.failed} event, in one transaction. */
  static Future<Void> fail(Pool pool, Metrics metrics, Row batch, JsonObject lastError) {
    String batchId = batch.getString("id");
    return pool.withTransaction(tx -> tx.preparedQuery(IssuanceSql.FAILED)
            .execute(Tuple.of(batchId, lastError))
            .compose(v -> WebhookOutbox.record(tx, batch.getString("tenant_id"),
                batch.getString("environment"), WebhookOutbox.BATCH_FAILED,
                new JsonObject().put("batch_id", batchId).put("last_error", lastError))))
        .onSuccess(v -> metrics.batchTransition("failed"));
  }
}
