package com.learncoin.gateway.auth;

import com.learncoin.gateway.common.Ids;
import com.learncoin.gateway.common.Timestamps;
import com.learncoin.gateway.http.Pagination;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;

/** The admin side of API keys: create, list, replace the allowlist, revoke; each change announced. */
public final class ApiKeyRegistry {
  private static final String INSERT = """
      INSERT INTO api_keys (id, tenant_id, environment, key_hash, key_last4, ip_allowlist)
      SELECT $1, id, $3, $4, $5, $6 FROM tenants WHERE id = $2
      RETURNING *""";
  private static final String SET_ALLOWLIST =
      "UPDATE api_keys SET ip_allowlist = $2 WHERE id = $1 RETURNING *";
  private static final String REVOKE = """
      UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING *""";
  private static final String PAGE_OF_TENANT = """
      SELECT * FROM api_keys WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3""";

  private final Pool pool;
  private final ApiKeyStore keys;

  public ApiKeyRegistry(Pool pool, ApiKeyStore keys) {
    this.pool = pool;
    this.keys = keys;
  }

  /** The new key with its plaintext, which is never stored; empty when the tenant is unknown. */
  public Future<Optional<JsonObject>> create(String tenantId, String environment,
      List<String> allowlist) {
    String plaintext = ApiKeySecrets.generate(environment);
    byte[] hash = ApiKeySecrets.hash(plaintext);
    Tuple params = Tuple.of(Ids.ulid("key_"), tenantId, environment, Buffer.buffer(hash),
        plaintext.substring(plaintext.length() - 4), allowlist.toArray(String[]::new));
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT).execute(params)
        .compose(rows -> ApiKeyStore.announceKey(tx, hash).map(v -> first(rows))))
        .onSuccess(v -> keys.forgetKey(hash))
        .map(key -> key.map(k -> k.put("key", plaintext)));
  }

  public Future<Optional<JsonObject>> replaceAllowlist(String keyId, List<String> allowlist) {
    return change(SET_ALLOWLIST,
        Tuple.of(keyId).addArrayOfString(allowlist.toArray(String[]::new)));
  }

  public Future<Optional<JsonObject>> revoke(String keyId) {
    return change(REVOKE, Tuple.of(keyId));
  }

  /** One page of a tenant's keys, oldest first, revoked ones included; never a secret or hash. */
  public Future<JsonObject> pageOfTenant(String tenantId, String after, int limit) {
    return pool.preparedQuery(PAGE_OF_TENANT)
        .execute(Tuple.of(tenantId, Pagination.cursor(after), limit + 1))
        .map(rows -> Pagination.page(rows, limit, ApiKeyRegistry::toJson));
  }

  private Future<Optional<JsonObject>> change(String sql, Tuple params) {
    return pool.withTransaction(tx -> tx.preparedQuery(sql).execute(params).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(rows);
      }
      byte[] hash = rows.iterator().next().getBuffer("key_hash").getBytes();
      return ApiKeyStore.announceKey(tx, hash).map(v -> rows);
    })).map(rows -> {
      rows.forEach(row -> keys.forgetKey(row.getBuffer("key_hash").getBytes()));
      return first(rows);
    });
  }

  private static Optional<JsonObject> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    return Optional.of(toJson(rows.iterator().next()));
  }

  private static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "api_key")
        .put("tenant_id", row.getString("tenant_id"))
        .put("environment", row.getString("environment"))
        .put("last4", row.getString("key_last4"))
        .put("ip_allowlist", new JsonArray(List.of((Object[]) row.getArrayOfStrings("ip_allowlist"))))
        .put("created_at", Timestamps.rfc3339(row.getOffsetDateTime("created_at")))
        .put("revoked_at", Timestamps.rfc3339(row.getOffsetDateTime("revoked_at")));
  }
}
