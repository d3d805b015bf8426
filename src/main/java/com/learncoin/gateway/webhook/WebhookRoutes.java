package com.learncoin.gateway.webhook;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.common.Ids;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.JsonBodies;
import com.learncoin.gateway.http.Pagination;
import com.learncoin.gateway.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Webhook endpoints of the caller's tenant and environment, and their delivery logs. Another
 * tenant's endpoint, or one of the other environment, is {@code webhook_not_found}: its existence
 * is not disclosed.
 */
public final class WebhookRoutes {
  private final Pool pool;
  private final WebhookUrls urls;
  private final int maxEndpoints;

  public WebhookRoutes(Vertx vertx, Pool pool, boolean allowPrivateTargets, int maxEndpoints) {
    this.pool = pool;
    this.urls = new WebhookUrls(vertx, allowPrivateTargets);
    this.maxEndpoints = maxEndpoints;
  }

  public void create(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    JsonObject body = JsonBodies.object(ctx.body().buffer());
    URI url = WebhookUrls.parse(body.getValue("url"), "live".equals(key.environment()));
    String[] events = events(body.getValue("events"));
    String secret = Signatures.newSecret();
    urls.checkTarget(url)
        .compose(v -> pool.withTransaction(tx -> tx.preparedQuery(WebhookSql.LOCK_TENANT_ENDPOINTS)
            .execute(Tuple.of(key.tenantId()))
            .compose(locked -> tx.preparedQuery(WebhookSql.INSERT_ENDPOINT).execute(Tuple.of(
                Ids.ulid("wh_"), key.tenantId(), key.environment(), url.toString(), events,
                secret, maxEndpoints)))))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(tooMany())
            : Future.succeededFuture(rows))
        .onFailure(ctx::fail)
        .onSuccess(rows -> Responses.json(ctx, 201,
            WebhookJson.endpoint(rows.iterator().next()).put("secret", secret)));
  }

  public void list(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    int limit = Pagination.limit(ctx.queryParams().get("limit"));
    String after = Pagination.cursor(ctx.queryParams().get("starting_after"));
    pool.preparedQuery(WebhookSql.PAGE_ENDPOINTS)
        .execute(Tuple.of(key.tenantId(), key.environment(), after, limit + 1))
        .onFailure(ctx::fail)
        .onSuccess(rows -> Responses.json(ctx, 200,
            Pagination.page(rows, limit, WebhookJson::endpoint)));
  }

  public void get(RoutingContext ctx) {
    find(ctx).onFailure(ctx::fail)
        .onSuccess(row -> Responses.json(ctx, 200, WebhookJson.endpoint(row)));
  }

  /** Removes the endpoint and, with it, its pending deliveries and their log. */
  public void delete(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    String id = ctx.pathParam("id");
    pool.preparedQuery(WebhookSql.DELETE_ENDPOINT)
        .execute(Tuple.of(id, key.tenantId(), key.environment()))
        .onFailure(ctx::fail)
        .onSuccess(rows -> {
          if (rows.rowCount() == 0) {
            ctx.fail(notFound(id, key));
          } else {
            ctx.response().setStatusCode(204).end();
          }
        });
  }

  public void deliveries(RoutingContext ctx) {
    int limit = Pagination.limit(ctx.queryParams().get("limit"));
    String after = Pagination.cursor(ctx.queryParams().get("starting_after"));
    find(ctx).compose(endpoint -> pool.preparedQuery(WebhookSql.PAGE_DELIVERIES)
            .execute(Tuple.of(endpoint.getString("id"), after, limit + 1)))
        .onFailure(ctx::fail)
        .onSuccess(rows -> Responses.json(ctx, 200,
            Pagination.page(rows, limit, WebhookJson::delivery)));
  }

  /** Queues the delivery for an attempt now, whatever its status; 202 with the delivery. */
  public void retry(RoutingContext ctx) {
    String deliveryId = ctx.pathParam("delivery_id");
    find(ctx).compose(endpoint -> pool.preparedQuery(WebhookSql.RETRY)
            .execute(Tuple.of(deliveryId, endpoint.getString("id"))))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ApiError.WEBHOOK_NOT_FOUND.exception("No delivery " + deliveryId
                + " for webhook " + ctx.pathParam("id") + "."))
            : Future.succeededFuture(rows.iterator().next()))
        .onFailure(ctx::fail)
        .onSuccess(row -> Responses.json(ctx, 202, WebhookJson.delivery(row)));
  }

  private Future<Row> find(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    String id = ctx.pathParam("id");
    return pool.preparedQuery(WebhookSql.ONE_ENDPOINT)
        .execute(Tuple.of(id, key.tenantId(), key.environment()))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(notFound(id, key))
            : Future.succeededFuture(rows.iterator().next()));
  }

  /**
   * The contract has no code for a count limit: 400 {@code invalid_field_format} says "not as
   * sent, don't retry" without promising a remedy that does not exist (a higher plan, next month,
   * Retry-After); the message says what frees a place.
   */
  private RuntimeException tooMany() {
    return ApiError.INVALID_FIELD_FORMAT.exception("url: this tenant already has " + maxEndpoints
        + " webhook endpoints (test and live together), the most allowed; delete one"
        + " (DELETE /v1/webhooks/{id}) before adding another.");
  }

  private static RuntimeException notFound(String id, ApiKey key) {
    return ApiError.WEBHOOK_NOT_FOUND.exception("No webhook " + id + " for this tenant in "
        + key.environment() + " mode.");
  }

  private static String[] events(Object value) {
    if (value == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception("events is required: a non-empty array of "
          + String.join(", ", WebhookOutbox.TYPES) + ".");
    }
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("events must be a non-empty array of "
          + String.join(", ", WebhookOutbox.TYPES) + ".");
    }
    Set<String> events = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Object event = array.getValue(i);
      if (!(event instanceof String type) || !WebhookOutbox.TYPES.contains(type)) {
        throw ApiError.INVALID_FIELD_FORMAT.exception("events[" + i + "] must be one of "
            + String.join(", ", WebhookOutbox.TYPES) + ".");
      }
      events.add(type);
    }
    return new ArrayList<>(events).toArray(String[]::new);
  }
}
