package com.learncoin.gateway.auth;

import com.learncoin.gateway.db.ChangeFeed;
import com.learncoin.gateway.db.FeedCache;
import com.learncoin.gateway.net.Cidr;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API-key lookups: a {@link FeedCache} in front of PostgreSQL. A change to a key or a tenant comes
 * over the {@link ChangeFeed}, so every node drops its cached copy at once; expiry and refresh are
 * only a safety net.
 */
public final class ApiKeyStore {
  private static final String FIND = """
      SELECT encode(k.key_hash, 'hex') AS hash, k.id, k.tenant_id, k.environment, k.ip_allowlist,
             k.revoked_at IS NOT NULL AS revoked, t.plan
        FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
       WHERE k.key_hash = ANY($1)""";
  private static final HexFormat HEX = HexFormat.of();

  private final Pool pool;
  /** By the hex SHA-256 of the key, the NOTIFY payload; unknown keys are cached (empty) too. */
  private final FeedCache<String, Optional<ApiKey>> cache;

  public ApiKeyStore(Vertx vertx, Pool pool, ChangeFeed changes) {
    this.pool = pool;
    this.cache = new FeedCache<>(vertx, changes, 250_000, Optional.empty(), this::load);
    changes.on(ChangeFeed.API_KEYS, cache::invalidate);
    changes.on(ChangeFeed.TENANTS, this::forgetTenant);
  }

  public Future<Optional<ApiKey>> find(String plaintextKey) {
    return cache.get(HEX.formatHex(ApiKeySecrets.hash(plaintextKey)));
  }

  /** Queries this node sent to PostgreSQL for keys (each for up to 256 keys). */
  public long databaseLoads() {
    return cache.loads();
  }

  /** Tells every node (this one included) that a key changed; run inside the changing transaction. */
  public static Future<Void> announceKey(SqlClient tx, byte[] keyHash) {
    return ChangeFeed.announce(tx, ChangeFeed.API_KEYS, HEX.formatHex(keyHash));
  }

  public static Future<Void> announceTenant(SqlClient tx, String tenantId) {
    return ChangeFeed.announce(tx, ChangeFeed.TENANTS, tenantId);
  }

  /** Drops this node's copy at once; other nodes drop theirs when the NOTIFY arrives. */
  public void forgetKey(byte[] keyHash) {
    cache.invalidate(HEX.formatHex(keyHash));
  }

  /** The tenant's keys, and loads under way (which may have read the tenant before its change). */
  public void forgetTenant(String tenantId) {
    cache.invalidateIf(key -> key.isPresent() && key.get().tenantId().equals(tenantId));
  }

  private Future<Map<String, Optional<ApiKey>>> load(List<String> hashes) {
    Buffer[] keys = hashes.stream().map(h -> Buffer.buffer(HEX.parseHex(h))).toArray(Buffer[]::new);
    return pool.preparedQuery(FIND).execute(Tuple.tuple().addArrayOfBuffer(keys)).map(rows -> {
      Map<String, Optional<ApiKey>> found = new HashMap<>();
      rows.forEach(row -> found.put(row.getString("hash"), Optional.of(toKey(row))));
      return found;
    });
  }

  private static ApiKey toKey(Row row) {
    String[] allowlist = row.getArrayOfStrings("ip_allowlist");
    return new ApiKey(
        row.getString("id"),
        row.getString("tenant_id"),
        Plan.parse(row.getString("plan")).orElseThrow(),
        // One shared string, not one per cached key.
        row.getString("environment").intern(),
        row.getBoolean("revoked"),
        allowlist.length == 0 ? List.of()
            : Arrays.stream(allowlist).map(c -> Cidr.parse(c).orElseThrow()).toList());
  }
}
