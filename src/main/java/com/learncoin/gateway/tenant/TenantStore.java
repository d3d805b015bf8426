package com.learncoin.gateway.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.learncoin.gateway.auth.ApiKeyStore;
import com.learncoin.gateway.auth.Plan;
import com.learncoin.gateway.common.Ids;
import com.learncoin.gateway.common.Timestamps;
import com.learncoin.gateway.db.ChangeFeed;
import com.learncoin.gateway.http.Pagination;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/** Tenants, their plans and this month's usage. */
public final class TenantStore {
  private static final String INSERT =
      "INSERT INTO tenants (id, name, plan) VALUES ($1, $2, $3) RETURNING *";
  private static final String CHANGE_PLAN =
      "UPDATE tenants SET plan = $2 WHERE id = $1 RETURNING *";
  private static final String FIND = "SELECT * FROM tenants WHERE id = $1";
  private static final String PAGE = "SELECT * FROM tenants WHERE id > $1 ORDER BY id LIMIT $2";
  private static final String WITH_USAGE = """
      SELECT t.*, (SELECT coalesce(json_object_agg(u.environment, u.credentials), '{}')
                     FROM monthly_usage u
                    WHERE u.tenant_id = t.id
                      AND u.month = date_trunc('month', now() AT TIME ZONE 'UTC')::date) AS used
        FROM tenants t WHERE t.id = $1""";

  private final Pool pool;
  private final ApiKeyStore keys;
  /** Tenants with this month's usage, as GET /v1/tenants/{id} shows them; dropped on any change. */
  private final Cache<String, Buffer> withUsage = Caffeine.newBuilder()
      // Read on every request: its upkeep runs on the reading thread, amortised, instead of
      // waking a ForkJoinPool thread several thousand times a second.
      .executor(Runnable::run)
      .maximumSize(100_000)
      .expireAfterWrite(Duration.ofSeconds(30))
      .build();

  public TenantStore(Pool pool, ApiKeyStore keys, ChangeFeed changes) {
    this.pool = pool;
    this.keys = keys;
    changes.on(ChangeFeed.TENANTS, withUsage::invalidate);
    changes.on(ChangeFeed.USAGE, withUsage::invalidate);
    changes.onReset(withUsage::invalidateAll);
  }

  /** After a commit that changed the tenant's usage: this node forgets at once, others on NOTIFY. */
  public void forgetUsage(String tenantId) {
    withUsage.invalidate(tenantId);
  }

  public static Future<Void> announceUsage(SqlClient tx, String tenantId) {
    return ChangeFeed.announce(tx, ChangeFeed.USAGE, tenantId);
  }

  public Future<JsonObject> create(String name, Plan plan) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(Ids.ulid("ten_"), name, plan.id()))
        .map(rows -> toJson(rows.iterator().next()));
  }

  /** Every node's cached keys of this tenant are dropped, so the new limits apply at once. */
  public Future<Optional<JsonObject>> changePlan(String id, Plan plan) {
    return pool.withTransaction(tx -> tx.preparedQuery(CHANGE_PLAN).execute(Tuple.of(id, plan.id()))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Optional.<JsonObject>empty())
            : ApiKeyStore.announceTenant(tx, id)
                .map(v -> Optional.of(toJson(rows.iterator().next())))))
        .onSuccess(changed -> {
          keys.forgetTenant(id);
          withUsage.invalidate(id);
        });
  }

  public Future<Optional<JsonObject>> find(String id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toJson(rows.iterator().next())));
  }

  /** One page of tenants, oldest first (ids are ULIDs), for the admin list. */
  public Future<JsonObject> page(String after, int limit) {
    return pool.preparedQuery(PAGE).execute(Tuple.of(Pagination.cursor(after), limit + 1))
        .map(rows -> Pagination.page(rows, limit, TenantStore::toJson));
  }

  /**
   * The tenant with its limits and this calendar month's (UTC) usage in each environment, as the
   * encoded JSON body: the hottest read of the API is answered from memory, not even re-encoded.
   */
  public Future<Optional<Buffer>> findWithUsage(String id) {
    Buffer cached = withUsage.getIfPresent(id);
    if (cached != null) {
      return Future.succeededFuture(Optional.of(cached));
    }
    return pool.preparedQuery(WITH_USAGE).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      Plan plan = Plan.parse(row.getString("plan")).orElseThrow();
      JsonObject stored = (JsonObject) row.getValue("used");
      JsonObject used = new JsonObject().put("test", stored.getInteger("test", 0))
          .put("live", stored.getInteger("live", 0));
      LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
      JsonObject usage = new JsonObject()
          .put("month", month.toString().substring(0, 7))
          .put("credentials_issued", used)
          .put("credentials_remaining", new JsonObject()
              .put("test", plan.credentialsPerMonth() - used.getInteger("test"))
              .put("live", plan.credentialsPerMonth() - used.getInteger("live")));
      Buffer tenant = toJson(row).put("usage", usage).toBuffer();
      withUsage.put(id, tenant);
      return Optional.of(tenant);
    });
  }

  private static JsonObject toJson(Row row) {
    Plan plan = Plan.parse(row.getString("plan")).orElseThrow();
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "tenant")
        .put("name", row.getString("name"))
        .put("plan", plan.id())
        .put("limits", plan.limits())
        .put("issuer_did", row.getString("issuer_did"))
        .put("created_at", Timestamps.rfc3339(row.getOffsetDateTime("created_at")));
  }
}
