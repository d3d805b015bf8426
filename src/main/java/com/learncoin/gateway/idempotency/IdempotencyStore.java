package com.learncoin.gateway.idempotency;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * PostgreSQL is the truth (primary key on tenant + key); Caffeine keeps finished responses so a
 * replay on the node that answered first costs no query.
 */
public final class IdempotencyStore {
  static final Duration TTL = Duration.ofHours(24);

  /** Claims the key, or takes over a record that expired or whose node died before finishing it. */
  private static final String CLAIM = """
      INSERT INTO idempotency_keys (tenant_id, key, method, path, body_sha256)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (tenant_id, key) DO UPDATE
         SET method = EXCLUDED.method, path = EXCLUDED.path, body_sha256 = EXCLUDED.body_sha256,
             status = NULL, content_type = NULL, location = NULL, response_body = NULL,
             request_id = NULL, created_at = now(), completed_at = NULL
       WHERE idempotency_keys.created_at < now() - interval '24 hours'
          OR (idempotency_keys.status IS NULL
              AND idempotency_keys.created_at < now() - interval '60 seconds')
      RETURNING created_at""";
  private static final String FIND = """
      SELECT method, path, body_sha256, status, content_type, location, response_body, request_id,
             created_at
        FROM idempotency_keys WHERE tenant_id = $1 AND key = $2""";
  private static final String COMPLETE = """
      UPDATE idempotency_keys
         SET status = $3, content_type = $4, location = $5, response_body = $6, request_id = $7,
             completed_at = now()
       WHERE tenant_id = $1 AND key = $2""";
  private static final String RELEASE =
      "DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND status IS NULL";
  /** Stored answers that named a learner (a revoke's, say) go: a replay then runs again. */
  private static final String FORGET_MENTIONING = """
      DELETE FROM idempotency_keys
       WHERE tenant_id = $1 AND position(convert_to($2, 'UTF8') IN response_body) > 0""";
  private static final String SWEEP =
      "DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'";

  private final Pool pool;
  private final Cache<String, StoredResponse> finished = Caffeine.newBuilder()
      .maximumWeight(64L * 1024 * 1024)
      .<String, StoredResponse>weigher((k, v) -> 256 + v.body().length())
      .expireAfterWrite(TTL)
      .build();

  /** In the caller's transaction: drops the tenant's stored answers whose body contains {@code text}. */
  public static Future<Void> forgetMentioning(SqlClient tx, String tenantId, String text) {
    return tx.preparedQuery(FORGET_MENTIONING).execute(Tuple.of(tenantId, text)).mapEmpty();
  }

  IdempotencyStore(Pool pool) {
    this.pool = pool;
  }

  Optional<StoredResponse> cached(String tenantId, String key) {
    StoredResponse hit = finished.getIfPresent(cacheKey(tenantId, key));
    return hit != null && hit.createdAt().plus(TTL).isAfter(Instant.now())
        ? Optional.of(hit) : Optional.empty();
  }

  /** The claim's creation time when this request now owns the key; empty when another does. */
  Future<Optional<Instant>> claim(String tenantId, String key, Fingerprint fp) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(tenantId, key, fp.method(), fp.path(), Buffer.buffer(fp.bodySha256())))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(rows.iterator().next().getOffsetDateTime("created_at").toInstant()));
  }

  /** The record as stored now: in progress (status 0), finished, or gone. */
  Future<Optional<StoredResponse>> find(String tenantId, String key) {
    return pool.preparedQuery(FIND).execute(Tuple.of(tenantId, key)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      StoredResponse stored = fromRow(rows.iterator().next());
      if (stored.status() != 0) {
        finished.put(cacheKey(tenantId, key), stored);
      }
      return Optional.of(stored);
    });
  }

  Future<Void> complete(String tenantId, String key, StoredResponse response) {
    finished.put(cacheKey(tenantId, key), response);
    return pool.preparedQuery(COMPLETE)
        .execute(Tuple.from(new Object[] {tenantId, key, response.status(), response.contentType(),
            response.location(), response.body(), response.requestId()}))
        .mapEmpty();
  }

  Future<Void> release(String tenantId, String key) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(tenantId, key)).mapEmpty();
  }

  Future<Integer> sweep() {
    return pool.query(SWEEP).execute().map(rows -> rows.rowCount());
  }

  private static StoredResponse fromRow(Row row) {
    Integer status = row.getInteger("status");
    return new StoredResponse(
        new Fingerprint(row.getString("method"), row.getString("path"),
            row.getBuffer("body_sha256").getBytes()),
        status == null ? 0 : status,
        row.getString("content_type"),
        row.getString("location"),
        row.getBuffer("response_body"),
        row.getString("request_id"),
        row.getOffsetDateTime("created_at").toInstant());
  }

  private static String cacheKey(String tenantId, String key) {
    return tenantId + '\n' + key;
  }
}
