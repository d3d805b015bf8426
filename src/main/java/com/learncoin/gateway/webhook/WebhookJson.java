package com.learncoin.gateway.webhook;

import com.learncoin.gateway.common.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;

/** The webhook objects as the API shows them. */
final class WebhookJson {

  private WebhookJson() {}

  static JsonObject endpoint(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "webhook_endpoint")
        .put("url", row.getString("url"))
        .put("events", new JsonArray(List.of((Object[]) row.getArrayOfStrings("events"))))
        .put("status", row.getString("status"))
        .put("created_at", Timestamps.rfc3339(row.getOffsetDateTime("created_at")));
  }

  static JsonObject delivery(Row row) {
    String status = row.getString("status");
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "webhook_delivery")
        .put("webhook_id", row.getString("endpoint_id"))
        .put("event_id", row.getString("event_id"))
        .put("event_type", row.getString("type"))
        .put("status", status)
        .put("attempts", row.getInteger("attempts"))
        .put("next_attempt_at", "pending".equals(status)
            ? Timestamps.rfc3339(row.getOffsetDateTime("next_attempt_at")) : null)
        .put("last_status_code", row.getInteger("last_status_code"))
        .put("last_error", row.getString("last_error"))
        .put("log", row.getJsonArray("log"))
        .put("created_at", Timestamps.rfc3339(row.getOffsetDateTime("created_at")))
        .put("updated_at", Timestamps.rfc3339(row.getOffsetDateTime("updated_at")));
  }
}
