package com.learncoin.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.learncoin.gateway.db.ChangeFeed;
import com.learncoin.gateway.net.Cidr;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * API-key lookups: Caffeine in front of PostgreSQL. A change to a key or a tenant comes over the
 * {@link ChangeFeed}, so every node drops its cached copy at once; the expiry is only a backstop.
 */
public final class ApiKeyStore {
  private static final String FIND = """
      SELECT k.id, k.tenant_id, k.environment, k.ip_allowlist, k.revoked_at IS NOT NULL AS revoked,
             t.plan
        FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
       WHERE k.key_hash = $1""";

  private final Pool pool;
  private final Cache<String, Optional<ApiKey>> cache = Caffeine.newBuilder()
      // Read on every request: its upkeep runs on the reading thread, amortised, instead of
      // waking a ForkJoinPool thread several thousand times a second.
      .executor(Runnable::run)
      .maximumSize(200_000)
      .expireAfterWrite(Duration.ofSeconds(30))
      .build();

  public ApiKeyStore(Pool pool, ChangeFeed changes) {
    this.pool = pool;
    changes.on(ChangeFeed.API_KEYS, cache::invalidate);
    changes.on(ChangeFeed.TENANTS, this::forgetTenant);
    changes.onReset(cache::invalidateAll);
  }

  public Future<Optional<ApiKey>> find(String plaintextKey) {
    String hash = HexFormat.of().formatHex(ApiKeySecrets.hash(plaintextKey));
    Optional<ApiKey> cached = cache.getIfPresent(hash);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return pool.preparedQuery(FIND).execute(Tuple.of(Buffer.buffer(HexFormat.of().parseHex(hash))))
        .map(rows -> rows.size() == 0 ? Optional.<ApiKey>empty() : Optional.of(toKey(rows.iterator().next())))
        .onSuccess(key -> cache.put(hash, key));
  }

  /** Tells every node (this one included) that a key changed; run inside the changing transaction. */
  public static Future<Void> announceKey(SqlClient tx, byte[] keyHash) {
    return ChangeFeed.announce(tx, ChangeFeed.API_KEYS, HexFormat.of().formatHex(keyHash));
  }

  public static Future<Void> announceTenant(SqlClient tx, String tenantId) {
    return ChangeFeed.announce(tx, ChangeFeed.TENANTS, tenantId);
  }

  /** Drops this node's copy at once; other nodes drop theirs when the NOTIFY arrives. */
  public void forgetKey(byte[] keyHash) {
    cache.invalidate(HexFormat.of().formatHex(keyHash));
  }

  public void forgetTenant(String tenantId) {
    cache.asMap().values().removeIf(key -> key.isPresent() && key.get().tenantId().equals(tenantId));
  }

  private static ApiKey toKey(Row row) {
    String[] allowlist = row.getArrayOfStrings("ip_allowlist");
    return new ApiKey(
        row.getString("id"),
        row.getString("tenant_id"),
        Plan.parse(row.getString("plan")).orElseThrow(),
        row.getString("environment"),
        row.getBoolean("revoked"),
        Arrays.stream(allowlist).map(c -> Cidr.parse(c).orElseThrow()).toList());
  }
}
