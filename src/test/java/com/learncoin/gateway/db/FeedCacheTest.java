package com.learncoin.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** FeedCache against a fake table and a fake clock: loads, refreshes and expiry, no PostgreSQL. */
@DisplayName("FeedCache: one load per missed key, batched loads, background refresh, jittered expiry")
class FeedCacheTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong nanos = new AtomicLong(1);
  private final Map<String, String> table = new ConcurrentHashMap<>();
  /** The keys of every query the cache sent, in order. */
  private final List<List<String>> queries = new CopyOnWriteArrayList<>();
  /** While set, queries read the table at once but answer only when it completes. */
  private volatile Promise<Void> gate;
  private volatile RuntimeException failNext;

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private FeedCache<String, Optional<String>> cache(Supplier<Duration> latest) {
    return new FeedCache<>(vertx, 100_000, Optional.empty(), keys -> {
      queries.add(keys);
      if (failNext != null) {
        RuntimeException failure = failNext;
        failNext = null;
        return Future.failedFuture(failure);
      }
      Map<String, Optional<String>> found = new HashMap<>();
      keys.stream().filter(table::containsKey).forEach(k -> found.put(k, Optional.of(table.get(k))));
      Promise<Void> waiting = gate;
      return waiting == null ? Future.succeededFuture(found) : waiting.future().map(found);
    }, latest, nanos::get);
  }

  private FeedCache<String, Optional<String>> cache() {
    return cache(() -> Duration.ofDays(1));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Waits until Caffeine has taken the key's load in (it does just after the load's waiters are
   * told), so its life counts from the fake clock's time now, not from a later one.
   */
  private static void settled(FeedCache<String, ?> cache, String key) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (cache.expiresAfter(key).filter(left -> left.toDays() < 1).isEmpty()) {
      assertThat(System.nanoTime()).as("%s settled", key).isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  private static boolean holds(FeedCache<String, ?> cache, String key) {
    return cache.expiresAfter(key).isPresent();
  }

  private void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  @Test
  @DisplayName("100 concurrent misses on one key share one query")
  void concurrentMissesShareOneLoad() throws Exception {
    FeedCache<String, Optional<String>> cache = cache();
    table.put("a", "A");
    gate = Promise.promise();
    List<Future<Optional<String>>> replies = new ArrayList<>();
    List<Thread> threads = IntStream.range(0, 100).mapToObj(i -> new Thread(() -> {
      Future<Optional<String>> reply = cache.get("a");
      synchronized (replies) {
        replies.add(reply);
      }
    })).toList();
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    gate.complete();
    for (Future<Optional<String>> reply : replies) {
      assertThat(await(reply)).contains("A");
    }
    assertThat(queries).containsExactly(List.of("a"));
    assertThat(cache.loads()).isOne();
  }

  @Test
  @DisplayName("600 keys missed in one event-loop turn are read in 3 queries; unknown ones cached empty")
  void missesOfOneTurnGoTogether() throws Exception {
    FeedCache<String, Optional<String>> cache = cache();
    IntStream.range(0, 300).forEach(i -> table.put("k" + i, "v" + i));
    Promise<List<Future<Optional<String>>>> made = Promise.promise();
    vertx.runOnContext(turn -> made.complete(IntStream.range(0, 600)
        .mapToObj(i -> cache.get("k" + i)).toList()));
    List<Future<Optional<String>>> replies = await(made.future());
    for (int i = 0; i < 600; i++) {
      assertThat(await(replies.get(i))).isEqualTo(i < 300 ? Optional.of("v" + i) : Optional.empty());
    }
    assertThat(queries).extracting(List::size).containsExactly(256, 256, 88);
    await(cache.get("k599"));
    assertThat(queries).hasSize(3);
  }

  @Test
  @DisplayName("an entry in use is refreshed in the background: the request that finds it old "
      + "gets the cached value at once, later ones the new value")
  void refreshedInBackground() throws Exception {
    FeedCache<String, Optional<String>> cache = cache();
    table.put("a", "1");
    assertThat(await(cache.get("a"))).contains("1");
    settled(cache, "a");
    table.put("a", "2");
    advance(FeedCache.REFRESH.minusSeconds(1));
    assertThat(await(cache.get("a"))).contains("1");
    assertThat(queries).hasSize(1);

    advance(Duration.ofSeconds(2));
    gate = Promise.promise(); // the refresh's query waits, and the request does not
    Future<Optional<String>> stale = cache.get("a");
    assertThat(stale.isComplete()).as("answered without waiting").isTrue();
    assertThat(stale.result()).contains("1");
    assertThat(cache.get("a").result()).contains("1");
    Promise<Void> opened = gate;
    gate = null;
    opened.complete();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!cache.get("a").result().equals(Optional.of("2")) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(cache.get("a").result()).contains("2");
    assertThat(queries).hasSize(2);
  }

  @Test
  @DisplayName("unused entries expire between EXPIRY and 1.2 x EXPIRY after their load, spread")
  void expiryJittered() throws Exception {
    FeedCache<String, Optional<String>> cache = cache();
    List<String> keys = IntStream.range(0, 500).mapToObj(i -> "k" + i).toList();
    keys.forEach(k -> table.put(k, k));
    for (String k : keys) {
      await(cache.get(k));
      settled(cache, k);
    }
    List<Long> lives = keys.stream().map(k -> cache.expiresAfter(k).orElseThrow().toSeconds())
        .sorted().toList();
    long expiry = FeedCache.EXPIRY.toSeconds();
    assertThat(lives.get(0)).isGreaterThanOrEqualTo(expiry - 1).isLessThan(expiry + expiry / 50);
    assertThat(lives.get(lives.size() - 1)).isLessThan(expiry + expiry / 5)
        .isGreaterThan(expiry + expiry / 5 - expiry / 50);
    assertThat(lives.get(lives.size() / 2)).as("median").isBetween(expiry + expiry / 20,
        expiry + expiry * 3 / 20);

    advance(FeedCache.EXPIRY.minusSeconds(1));
    assertThat(keys.stream().filter(k -> holds(cache, k))).hasSize(500);
    advance(FeedCache.EXPIRY.dividedBy(5).plusSeconds(2));
    assertThat(keys.stream().filter(k -> holds(cache, k))).isEmpty();
  }

  @Test
  @DisplayName("an entry's life ends at the cap it is given (a month's usage at the month's end)")
  void lifeCapped() throws Exception {
    FeedCache<String, Optional<String>> cache = cache(() -> Duration.ofMinutes(1));
    table.put("a", "A");
    await(cache.get("a"));
    settled(cache, "a");
    advance(Duration.ofSeconds(59));
    assertThat(holds(cache, "a")).isTrue();
    advance(Duration.ofSeconds(2));
    assertThat(holds(cache, "a")).isFalse();
  }

  @Test
  @DisplayName("a key invalidated while its load is under way is loaded again by the next request")
  void invalidatedDuringLoad() throws Exception {
    FeedCache<String, Optional<String>> cache = cache();
    table.put("a", "old");
    table.put("b", "old");
    gate = Promise.promise();
    Future<Optional<String>> a = cache.get("a");
    Future<Optional<String>> b = cache.get("b");
    // One query or two (the flush may run between the two gets): both read the table.
    while (queries.stream().mapToInt(List::size).sum() < 2) {
      Thread.sleep(5);
    }
    table.put("a", "new");
    table.put("b", "new");
    cache.invalidate("a");
    cache.invalidateIf(value -> false); // drops b's load too: its value is not known yet
    Promise<Void> opened = gate;
    gate = null;
    opened.complete();
    assertThat(await(a)).contains("old"); // what it read: it was asked before the change
    assertThat(await(b)).contains("old");
    assertThat(await(cache.get("a"))).contains("new");
    assertThat(await(cache.get("b"))).contains("new");
  }

  @Test
  @DisplayName("a failed query fails its requests and is not cached; the next request loads again")
  void failedLoadNotCached() throws Exception {
    FeedCache<String, Optional<String>> cache = cache();
    table.put("a", "A");
    failNext = new IllegalStateException("PostgreSQL unavailable");
    assertThatThrownBy(() -> await(cache.get("a"))).isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("PostgreSQL unavailable");
    assertThat(await(cache.get("a"))).contains("A");
    assertThat(queries).hasSize(2);
  }
}
