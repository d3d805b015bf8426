package com.learncoin.gateway.db;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Rows read from PostgreSQL on every request (API keys, tenants), cached for 100,000s of keys and
 * kept fresh by the {@link ChangeFeed}, not by a short expiry (docs/operations.md "Many tenants"):
 * <ul>
 * <li>misses on one key share one load: the cache holds the load's future from its start;
 * <li>misses on different keys in one event-loop turn are loaded together, {@link #CHUNK} keys a
 *     query, so 100,000 cold keys (a start, a feed reset) cost hundreds of queries, not 100,000;
 * <li>an entry in use is reloaded in the background {@link #REFRESH} after its load, while
 *     requests keep getting the loaded value: none waits, and a change made without a NOTIFY
 *     (by hand, in SQL) is seen within that time;
 * <li>an entry not used goes {@link #EXPIRY} after its load, plus up to a fifth at random, so
 *     entries loaded together do not expire together;
 * <li>the feed's reset (changes may have been missed) forgets everything, loads under way too.
 * </ul>
 */
public final class FeedCache<K, V> {
  public static final Duration REFRESH = Duration.ofMinutes(5);
  public static final Duration EXPIRY = Duration.ofMinutes(10);
  static final int CHUNK = 256;

  private final Vertx vertx;
  private final V absent;
  private final Function<List<K>, Future<Map<K, V>>> loadAll;
  private final AsyncLoadingCache<K, V> cache;
  private final AtomicLong queries = new AtomicLong();
  /** Keys missed since the last flush; guarded by {@code this}. */
  private List<Miss<K, V>> misses = new ArrayList<>();

  private record Miss<K, V>(K key, CompletableFuture<V> value) {}

  /** {@code loadAll} reads the rows of the given keys (missing keys get {@code absent}). */
  public FeedCache(Vertx vertx, ChangeFeed changes, long maximumSize, V absent,
      Function<List<K>, Future<Map<K, V>>> loadAll) {
    this(vertx, changes, maximumSize, absent, loadAll, () -> EXPIRY.multipliedBy(2));
  }

  /**
   * {@code loadAll} reads the rows of the given keys (missing keys get {@code absent});
   * {@code latest} caps an entry's life, e.g. at the end of the month its value describes.
   */
  public FeedCache(Vertx vertx, ChangeFeed changes, long maximumSize, V absent,
      Function<List<K>, Future<Map<K, V>>> loadAll, Supplier<Duration> latest) {
    this(vertx, maximumSize, absent, loadAll, latest, Ticker.systemTicker());
    changes.onReset(this::invalidateAll);
  }

  FeedCache(Vertx vertx, long maximumSize, V absent, Function<List<K>, Future<Map<K, V>>> loadAll,
      Supplier<Duration> latest, Ticker ticker) {
    this.vertx = vertx;
    this.absent = absent;
    this.loadAll = loadAll;
    this.cache = Caffeine.newBuilder()
        // Read on every request: its upkeep (and a refresh's start, which only queues the key)
        // runs on the reading thread instead of waking a ForkJoinPool thread thousands of times.
        .executor(Runnable::run)
        .ticker(ticker)
        .maximumSize(maximumSize)
        .refreshAfterWrite(REFRESH)
        .expireAfter(new Jittered<K, V>(latest))
        .buildAsync(this::load);
  }

  public Future<V> get(K key) {
    CompletableFuture<V> failed = cache.getIfPresent(key);
    if (failed != null && failed.isCompletedExceptionally()) {
      // Failed a moment ago, for an earlier request; Caffeine drops it just after its waiters are
      // told. This request loads again (but a load it starts itself and that fails, fails it).
      cache.asMap().remove(key, failed);
    }
    CompletableFuture<V> value = cache.get(key);
    if (value.isDone() && !value.isCompletedExceptionally()) {
      return Future.succeededFuture(value.join()); // the common case, without a hop
    }
    // Completed on the pool connection's event loop: continue on the caller's, as a query would.
    return Future.fromCompletionStage(value, vertx.getOrCreateContext());
  }

  public void invalidate(K key) {
    cache.synchronous().invalidate(key);
  }

  public void invalidateAll() {
    cache.synchronous().invalidateAll();
  }

  /** Drops the entries whose value matches, and every load under way (its value is unknown). */
  public void invalidateIf(Predicate<V> matches) {
    cache.asMap().values().removeIf(value -> !value.isDone()
        || !value.isCompletedExceptionally() && matches.test(value.join()));
  }

  /** Queries sent to PostgreSQL so far (loads and refreshes, each of up to {@link #CHUNK} keys). */
  public long loads() {
    return queries.get();
  }

  public long size() {
    return cache.synchronous().estimatedSize();
  }

  /** How long the key's entry has left, empty if none; days while it is being loaded (tests). */
  Optional<Duration> expiresAfter(K key) {
    return cache.synchronous().policy().expireVariably().orElseThrow().getExpiresAfter(key);
  }

  /** Caffeine's loader, for a miss and a refresh alike: queues the key for the next flush. */
  private CompletableFuture<V> load(K key, Executor ignored) {
    CompletableFuture<V> value = new CompletableFuture<>();
    boolean first;
    synchronized (this) {
      first = misses.isEmpty();
      misses.add(new Miss<>(key, value));
    }
    if (first) {
      // After the current event-loop task: the misses of this turn (any loop's) go together.
      vertx.runOnContext(v -> flush());
    }
    return value;
  }

  private void flush() {
    List<Miss<K, V>> batch;
    synchronized (this) {
      batch = misses;
      misses = new ArrayList<>();
    }
    for (int from = 0; from < batch.size(); from += CHUNK) {
      query(batch.subList(from, Math.min(batch.size(), from + CHUNK)));
    }
  }

  private void query(List<Miss<K, V>> chunk) {
    queries.incrementAndGet();
    Future<Map<K, V>> rows;
    try {
      rows = loadAll.apply(chunk.stream().map(Miss::key).distinct().toList());
    } catch (RuntimeException e) {
      rows = Future.failedFuture(e); // a failed load fails its requests; it never leaves them hanging
    }
    rows.onComplete(
        found -> chunk.forEach(m -> m.value().complete(found.getOrDefault(m.key(), absent))),
        error -> chunk.forEach(m -> m.value().completeExceptionally(error)));
  }

  /** Each entry's life: {@link #EXPIRY} plus up to a fifth at random, within {@code latest}. */
  private record Jittered<K, V>(Supplier<Duration> latest) implements Expiry<K, V> {
    @Override
    public long expireAfterCreate(K key, V value, long now) {
      long nanos = EXPIRY.toNanos() + ThreadLocalRandom.current().nextLong(EXPIRY.toNanos() / 5);
      return Math.max(0, Math.min(nanos, latest.get().toNanos()));
    }

    @Override
    public long expireAfterUpdate(K key, V value, long now, long current) {
      return expireAfterCreate(key, value, now); // a refresh: a new life from now
    }

    @Override
    public long expireAfterRead(K key, V value, long now, long current) {
      return current;
    }
  }
}
