package com.learncoin.gateway.webhook;

import com.learncoin.gateway.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox: called inside the transaction that makes a change, so the event and its
 * deliveries exist if and only if the change committed. {@code data} carries ids only, never a
 * learner's personal data.
 */
public final class WebhookOutbox {
  public static final String BATCH_ANCHORED = "batch.anchored";
  public static final String BATCH_FAILED = "batch.failed";
  public static final String CREDENTIAL_REVOKED = "credential.revoked";
  public static final String CREDENTIAL_ERASED = "credential.erased";
  static final List<String> TYPES = List.of(BATCH_ANCHORED, BATCH_FAILED, CREDENTIAL_REVOKED,
      CREDENTIAL_ERASED);

  private WebhookOutbox() {}

  /** The event, and one pending delivery per enabled endpoint of the tenant subscribed to it. */
  public static Future<Void> record(SqlConnection tx, String tenantId, String environment,
      String type, JsonObject data) {
    String eventId = Ids.ulid("evt_");
    return tx.preparedQuery(WebhookSql.INSERT_EVENT)
        .execute(Tuple.of(eventId, tenantId, environment, type, data))
        .compose(v -> tx.preparedQuery(WebhookSql.SUBSCRIBED)
            .execute(Tuple.of(tenantId, environment, type)))
        .compose(endpoints -> {
          List<Tuple> deliveries = new ArrayList<>();
          endpoints.forEach(row -> deliveries.add(Tuple.of(Ids.ulid("whd_"), eventId,
              row.getString("id"))));
          return deliveries.isEmpty() ? Future.succeededFuture()
              : tx.preparedQuery(WebhookSql.INSERT_DELIVERY).executeBatch(deliveries).mapEmpty();
        });
  }
}
