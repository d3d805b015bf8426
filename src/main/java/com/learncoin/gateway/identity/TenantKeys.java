package com.learncoin.gateway.identity;

import com.learncoin.gateway.common.Ids;
import com.learncoin.gateway.db.ChangeFeed;
import com.learncoin.gateway.signing.KeyVault;
import com.learncoin.gateway.signing.Signer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's signing keys, one active per environment, made on first use (or at tenant
 * creation) through the {@link KeyVault}. Opened keys are kept in memory: a batch of 500 costs no
 * look-up, and a sealed seed is opened once per node. Rotation and retirement are announced on
 * the change feed, so every node stops handing out a key at once.
 */
public final class TenantKeys {
  private final Vertx vertx;
  private final Pool pool;
  private final KeyVault vault;
  private final Map<String, Future<TenantKey>> byId = new ConcurrentHashMap<>();
  private final Map<String, Future<TenantKey>> active = new ConcurrentHashMap<>();

  public TenantKeys(Vertx vertx, Pool pool, KeyVault vault, ChangeFeed changes) {
    this.vertx = vertx;
    this.pool = pool;
    this.vault = vault;
    changes.on(ChangeFeed.SIGNING_KEYS, this::forgetTenant);
    changes.onReset(this::forgetAll);
  }

  /** The key new credentials of this tenant and environment are signed with; made if none. */
  public Future<TenantKey> active(String tenantId, String environment) {
    String slot = tenantId + "/" + environment;
    Future<TenantKey> cached = active.get(slot);
    if (cached != null) {
      return cached;
    }
    Future<TenantKey> loading = findActive(tenantId, environment)
        .compose(found -> found != null ? Future.succeededFuture(found)
            : create(tenantId, environment));
    active.put(slot, loading);
    return loading.onFailure(e -> active.remove(slot, loading));
  }

  public Future<TenantKey> byId(String id) {
    Future<TenantKey> cached = byId.get(id);
    if (cached != null) {
      return cached;
    }
    Future<TenantKey> loading = pool.preparedQuery(SigningKeySql.BY_ID).execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new IllegalStateException("no signing key " + id))
            : open(rows.iterator().next()));
    byId.put(id, loading);
    return loading.onFailure(e -> byId.remove(id, loading));
  }

  /** The keys a did:web document of this tenant lists: every one not retired. */
  public Future<List<TenantKey>> published(String tenantId, String environment) {
    return pool.preparedQuery(SigningKeySql.PUBLISHED).execute(Tuple.of(tenantId, environment))
        .compose(rows -> {
          List<Future<TenantKey>> keys = new ArrayList<>();
          rows.forEach(row -> keys.add(byId(row.getString("id"))));
          return Future.all(keys).map(all -> all.<TenantKey>list());
        });
  }

  /** Whether credentials of the tenant's did:web were signed with the gateway-wide key. */
  public Future<Boolean> hasLegacyCredentials(String tenantId, String environment) {
    return pool.preparedQuery(SigningKeySql.HAS_LEGACY_CREDENTIALS)
        .execute(Tuple.of(tenantId, environment)).map(rows -> rows.size() > 0);
  }

  /** Every key of the tenant, newest last, without opening any. */
  public Future<List<Row>> rowsOf(String tenantId) {
    return pool.preparedQuery(SigningKeySql.OF_TENANT).execute(Tuple.of(tenantId))
        .map(rows -> {
          List<Row> list = new ArrayList<>();
          rows.forEach(list::add);
          return list;
        });
  }

  /** The active key becomes rotated (still published, signs nothing new); a new one is made. */
  public Future<TenantKey> rotate(String tenantId, String environment) {
    return pool.withTransaction(tx -> tx.preparedQuery(SigningKeySql.ROTATE)
            .execute(Tuple.of(tenantId, environment))
            .compose(v -> ChangeFeed.announce(tx, ChangeFeed.SIGNING_KEYS, tenantId)))
        .compose(v -> {
          forgetTenant(tenantId);
          return active(tenantId, environment);
        });
  }

  /**
   * Withdraws a key (compromised, say): it leaves the did:web documents and, if it was active,
   * the next credential gets a new key. In {@code tx}, so the caller can revoke its credentials
   * in the same transaction. False when the tenant has no such key, or it was retired already.
   */
  public static Future<Boolean> retire(SqlClient tx, String tenantId, String keyId) {
    return tx.preparedQuery(SigningKeySql.RETIRE).execute(Tuple.of(keyId, tenantId))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(false)
            : ChangeFeed.announce(tx, ChangeFeed.SIGNING_KEYS, tenantId).map(true));
  }

  public void forgetTenant(String tenantId) {
    active.keySet().removeIf(slot -> slot.startsWith(tenantId + "/"));
    byId.values().removeIf(key -> !key.succeeded() || key.result().tenantId().equals(tenantId));
  }

  private void forgetAll() {
    active.clear();
    byId.clear();
  }

  private Future<TenantKey> findActive(String tenantId, String environment) {
    return pool.preparedQuery(SigningKeySql.ACTIVE).execute(Tuple.of(tenantId, environment))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(null)
            : open(rows.iterator().next()));
  }

  /** Two nodes at once: both make key material, one row is stored, both use the stored one. */
  private Future<TenantKey> create(String tenantId, String environment) {
    String id = Ids.ulid("sk_");
    return vertx.executeBlocking(() -> vault.create(id, tenantId, environment), false)
        .compose(made -> pool.preparedQuery(SigningKeySql.INSERT).execute(Tuple.of(id, tenantId,
            environment, Buffer.buffer(made.publicKey()),
            made.sealedSeed() == null ? null : Buffer.buffer(made.sealedSeed()),
            made.kmsKeyVersion())))
        .compose(v -> findActive(tenantId, environment))
        .compose(found -> found != null ? Future.succeededFuture(found)
            : Future.failedFuture(new IllegalStateException("the active signing key of " + tenantId
                + " (" + environment + ") was retired while it was being made; try again")));
  }

  private Future<TenantKey> open(Row row) {
    String id = row.getString("id");
    Future<TenantKey> cached = byId.get(id);
    if (cached != null && cached.succeeded()
        && cached.result().status().equals(row.getString("status"))) {
      return cached;
    }
    Buffer sealed = row.getBuffer("encrypted_seed");
    String kmsVersion = row.getString("kms_key_version");
    return vertx.<Signer>executeBlocking(() -> vault.open(id,
            sealed == null ? null : sealed.getBytes(), kmsVersion), false)
        .map(signer -> new TenantKey(id, row.getString("tenant_id"), row.getString("environment"),
            row.getString("status"), row.getBuffer("public_key").getBytes(), signer,
            row.getOffsetDateTime("created_at"), row.getOffsetDateTime("rotated_at"),
            row.getOffsetDateTime("retired_at")))
        .onSuccess(key -> byId.put(id, Future.succeededFuture(key)));
  }
}
