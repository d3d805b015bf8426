package com.learncoin.gateway.tenant;

import com.learncoin.gateway.auth.ApiKeyStore;
import com.learncoin.gateway.auth.Plan;
import com.learncoin.gateway.common.Ids;
import com.learncoin.gateway.common.Timestamps;
import com.learncoin.gateway.db.ChangeFeed;
import com.learncoin.gateway.db.FeedCache;
import com.learncoin.gateway.http.Pagination;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        FROM tenants t WHERE t.id = ANY($1)""";

  private final Pool pool;
  private final ApiKeyStore keys;
  /** What the cache holds for an unknown tenant. */
  private static final byte[] UNKNOWN = new byte[0];

  /**
   * Tenants with this month's usage, as GET /v1/tenants/{id} shows them, encoded: the hottest read
   * of the API is answered from memory. Dropped on any change; an entry ends with its month.
   * Bare bytes, not a Buffer in an Optional: 100 bytes and four objects less a tenant, which at
   * 100,000 tenants is live heap the collector keeps marking (docs/benchmarks.md "Many tenants").
   */
  private final FeedCache<String, byte[]> withUsage;

  public TenantStore(Vertx vertx, Pool pool, ApiKeyStore keys, ChangeFeed changes) {
    this.pool = pool;
    this.keys = keys;
    this.withUsage = new FeedCache<>(vertx, changes, 250_000, UNKNOWN, this::loadWithUsage,
        TenantStore::untilNextMonth);
    changes.on(ChangeFeed.TENANTS, withUsage::invalidate);
    changes.on(ChangeFeed.USAGE, withUsage::invalidate);
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
   * encoded JSON body.
   */
  public Future<Optional<Buffer>> findWithUsage(String id) {
    return withUsage.get(id)
        .map(body -> body.length == 0 ? Optional.empty() : Optional.of(Buffer.buffer(body)));
  }

  private Future<Map<String, byte[]>> loadWithUsage(List<String> ids) {
    return pool.preparedQuery(WITH_USAGE).execute(Tuple.tuple().addArrayOfString(
        ids.toArray(String[]::new))).map(rows -> {
          Map<String, byte[]> found = new HashMap<>();
          String month = LocalDate.now(ZoneOffset.UTC).toString().substring(0, 7);
          rows.forEach(row -> found.put(row.getString("id"), withUsage(row, month)));
          return found;
        });
  }

  private static byte[] withUsage(Row row, String month) {
    Plan plan = Plan.parse(row.getString("plan")).orElseThrow();
    JsonObject stored = (JsonObject) row.getValue("used");
    JsonObject used = new JsonObject().put("test", stored.getInteger("test", 0))
        .put("live", stored.getInteger("live", 0));
    JsonObject usage = new JsonObject()
        .put("month", month)
        .put("credentials_issued", used)
        .put("credentials_remaining", new JsonObject()
            .put("test", plan.credentialsPerMonth() - used.getInteger("test"))
            .put("live", plan.credentialsPerMonth() - used.getInteger("live")));
    return toJson(row).put("usage", usage).toBuffer().getBytes();
  }

  /** A cached usage describes its month: it goes when the next one (UTC) begins. */
  private static Duration untilNextMonth() {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    OffsetDateTime next = now.toLocalDate().withDayOfMonth(1).plusMonths(1)
        .atStartOfDay().atOffset(ZoneOffset.UTC);
    return Duration.between(now, next);
  }

  /** Queries this node sent to PostgreSQL for tenants with usage (each for up to 256 tenants). */
  public long databaseLoads() {
    return withUsage.loads();
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
