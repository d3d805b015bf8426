package com.learncoin.gateway.idempotency;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.db.ChangeFeed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PostgreSQL is the truth (primary key on tenant + environment + key); Caffeine keeps finished
 * responses so a replay on the node that answered first costs no query. A key is scoped by the
 * API key's environment: a live key never sees a test key's answer under the same key.
 *
 * <p>Erasure: the erasing transaction deletes the stored answers that show the learner and
 * announces it on the {@link ChangeFeed}; every node then drops the tenant's cached answers. An
 * answer that shows a credential ({@link Mention}) is stored only under a lock on the credential's
 * row, after checking it is not erased, so it is written either before the erasure (which then
 * deletes it) or not at all.
 */
public final class IdempotencyStore {
  static final Duration TTL = Duration.ofHours(24);

  /**
   * Claims the key, or takes over a record that expired, or is in progress under a node that died
   * (its mark's advisory lock is gone with its session: see {@link ChangeFeed#nodeMark()}), or has
   * been in progress for 60 s (a claim that names no node, or whose node lives but never finished).
   */
  private static final String CLAIM = """
      INSERT INTO idempotency_keys (tenant_id, environment, key, method, path, body_sha256,
                                    claimed_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (tenant_id, environment, key) DO UPDATE
         SET method = EXCLUDED.method, path = EXCLUDED.path, body_sha256 = EXCLUDED.body_sha256,
             status = NULL, content_type = NULL, location = NULL, response_body = NULL,
             request_id = NULL, credential_id = NULL, created_at = now(), completed_at = NULL,
             claimed_by = EXCLUDED.claimed_by
       WHERE idempotency_keys.created_at < now() - interval '24 hours'
          OR (idempotency_keys.status IS NULL
              AND (idempotency_keys.created_at < now() - interval '60 seconds'
                   OR (idempotency_keys.claimed_by IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM pg_locks
                                        WHERE locktype = 'advisory' AND granted
                                          AND classid = %d AND objsubid = 2
                                          AND objid = idempotency_keys.claimed_by::oid))))
      RETURNING created_at""".formatted(ChangeFeed.NODE_LOCK_CLASS);
  private static final String FIND = """
      SELECT method, path, body_sha256, status, content_type, location, response_body, request_id,
             created_at
        FROM idempotency_keys WHERE tenant_id = $1 AND environment = $2 AND key = $3""";
  private static final String COMPLETE = """
      UPDATE idempotency_keys
         SET status = $4, content_type = $5, location = $6, response_body = $7, request_id = $8,
             credential_id = $9, completed_at = now()
       WHERE tenant_id = $1 AND environment = $2 AND key = $3""";
  private static final String RELEASE = """
      DELETE FROM idempotency_keys
       WHERE tenant_id = $1 AND environment = $2 AND key = $3 AND status IS NULL""";
  /** Stored answers that show the credential, or name the learner anywhere: a replay runs again. */
  private static final String FORGET_ERASED = """
      DELETE FROM idempotency_keys
       WHERE tenant_id = $1
         AND (credential_id = $2 OR position(convert_to($3, 'UTF8') IN response_body) > 0)""";
  private static final String SWEEP =
      "DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'";

  private final Pool pool;
  private final ChangeFeed changes;
  private final Cache<String, StoredResponse> finished = Caffeine.newBuilder()
      .maximumWeight(64L * 1024 * 1024)
      .<String, StoredResponse>weigher((k, v) -> 256 + v.body().length())
      .expireAfterWrite(TTL)
      .build();
  /**
   * Bumped by every erasure this node hears of. An answer read or written before an erasure may
   * reach the cache after that erasure's drop; it is cached only if no erasure came in between.
   */
  private final AtomicLong erasures = new AtomicLong();

  IdempotencyStore(Pool pool, ChangeFeed changes) {
    this.pool = pool;
    this.changes = changes;
    changes.on(ChangeFeed.ERASURES, this::forgetTenant);
    changes.onReset(() -> {
      erasures.incrementAndGet();
      finished.invalidateAll();
    });
  }

  /**
   * In the erasing transaction (which holds the credential's row lock): drops the tenant's stored
   * answers that show the credential or contain {@code recipient} (may be null), and tells every
   * node to drop the tenant's cached answers once it commits.
   */
  public static Future<Void> forgetErased(SqlClient tx, String tenantId, String credentialId,
      String recipient) {
    return tx.preparedQuery(FORGET_ERASED).execute(Tuple.of(tenantId, credentialId, recipient))
        .compose(v -> ChangeFeed.announce(tx, ChangeFeed.ERASURES, tenantId));
  }

  /** This node drops the tenant's cached answers (at once after an erasure, and on its NOTIFY). */
  public void forgetTenant(String tenantId) {
    erasures.incrementAndGet();
    String prefix = tenantId + '\n';
    finished.asMap().keySet().removeIf(k -> k.startsWith(prefix));
  }

  Optional<StoredResponse> cached(ApiKey apiKey, String key) {
    StoredResponse hit = finished.getIfPresent(cacheKey(apiKey, key));
    return hit != null && hit.createdAt().plus(TTL).isAfter(Instant.now())
        ? Optional.of(hit) : Optional.empty();
  }

  /** The claim's creation time when this request now owns the key; empty when another does. */
  Future<Optional<Instant>> claim(ApiKey apiKey, String key, Fingerprint fp) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(apiKey.tenantId(), apiKey.environment(), key, fp.method(), fp.path(),
            Buffer.buffer(fp.bodySha256()), changes.nodeMark()))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(rows.iterator().next().getOffsetDateTime("created_at").toInstant()));
  }

  /** The record as stored now: in progress (status 0), finished, or gone. */
  Future<Optional<StoredResponse>> find(ApiKey apiKey, String key) {
    long before = erasures.get();
    return pool.preparedQuery(FIND).execute(scope(apiKey, key)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      StoredResponse stored = fromRow(rows.iterator().next());
      if (stored.status() != 0) {
        cache(before, apiKey, key, stored);
      }
      return Optional.of(stored);
    });
  }

  /**
   * Stores a finished answer. One that shows a credential is checked and written in one
   * transaction under a share lock on the credential's row: an erasure (which takes that row
   * FOR UPDATE before it deletes stored answers) then either waits for this write and deletes it,
   * or went first and this answer is dropped instead of stored (a replay runs again). Re-checking at
   * completion is the simplest order that holds: the answer is sent before it is stored, so the
   * erasure cannot be ordered after it by the request itself, and rendering answers by reference
   * at replay time would change what a replay means (the same bytes as the first answer).
   */
  Future<Void> complete(ApiKey apiKey, String key, StoredResponse response, Mention mention) {
    long before = erasures.get();
    if (mention == null) {
      cache(before, apiKey, key, response);
      return pool.preparedQuery(COMPLETE).execute(completion(apiKey, key, response, null))
          .mapEmpty();
    }
    return pool.withTransaction(tx -> mention.lockShown().apply(tx).compose(shown -> shown
            ? tx.preparedQuery(COMPLETE).execute(completion(apiKey, key, response,
                mention.credentialId())).map(true)
            : tx.preparedQuery(RELEASE).execute(scope(apiKey, key)).map(false)))
        .onSuccess(stored -> {
          if (stored) {
            cache(before, apiKey, key, response);
          }
        })
        .mapEmpty();
  }

  Future<Void> release(ApiKey apiKey, String key) {
    return pool.preparedQuery(RELEASE).execute(scope(apiKey, key)).mapEmpty();
  }

  Future<Integer> sweep() {
    return pool.query(SWEEP).execute().map(rows -> rows.rowCount());
  }

  private void cache(long erasuresBefore, ApiKey apiKey, String key, StoredResponse response) {
    if (erasures.get() == erasuresBefore) {
      finished.put(cacheKey(apiKey, key), response);
    }
  }

  private static Tuple scope(ApiKey apiKey, String key) {
    return Tuple.of(apiKey.tenantId(), apiKey.environment(), key);
  }

  private static Tuple completion(ApiKey apiKey, String key, StoredResponse response,
      String credentialId) {
    return Tuple.from(new Object[] {apiKey.tenantId(), apiKey.environment(), key,
        response.status(), response.contentType(), response.location(), response.body(),
        response.requestId(), credentialId});
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

  /** Tenant first: an erasure drops a tenant's entries by this prefix. */
  private static String cacheKey(ApiKey apiKey, String key) {
    return apiKey.tenantId() + '\n' + apiKey.environment() + '\n' + key;
  }
}
