package com.learncoin.gateway.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Benchmark, not a test (scripts/bench-rate-limit-store.sh): the store side of the cluster rate
 * limiter, Bucket4j's PostgreSQL proxy manager (as {@link SharedBuckets} builds it, on
 * {@link KeptConnection}s) against its Redis one (Lettuce, compare-and-swap), doing what a node's
 * sync does: take up to a lease's worth of tokens from a tenant's shared bucket, over 1,000
 * tenants. Prints syncs/s, p50/p99 of one sync, and the store's CPU per sync.
 *
 * <p>Usage: RateLimitStoreBench redis://127.0.0.1:PORT REDIS_PID [SECONDS]
 */
public final class RateLimitStoreBench {
  private static final int TENANTS = 1_000;
  private static final BucketConfiguration PLAN = LocalLimits.configuration(6_000);

  private RateLimitStoreBench() {}

  public static void main(String[] args) throws Exception {
    String redisUri = args[0];
    long redisPid = Long.parseLong(args[1]);
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    Path dir = Files.createTempDirectory("learncoin-rl-bench");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir)
        .setCleanDataDirectory(true).start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection()) {
        for (String migration : List.of("V12__shared_rate_limits", "V14__rate_limit_bucket_expiry")) {
          c.createStatement().execute(Files.readString(Path.of(
              "src/main/resources/db/migration/" + migration + ".sql")));
        }
      }
      long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0));
      PgConnectOptions options = new PgConnectOptions().setHost("localhost").setPort(pg.getPort())
          .setDatabase("postgres").setUser("postgres");
      RedisClient redis = RedisClient.create(redisUri);
      try (StatefulRedisConnection<String, byte[]> connection = redis.connect(
          RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
        ProxyManager<String> shared = Bucket4jLettuce.casBasedBuilder(connection).build();
        System.out.printf("%-36s %8s %10s %9s %9s %14s%n", "store", "callers", "syncs/s",
            "p50 ms", "p99 ms", "store CPU/sync");
        for (int callers : new int[] {1, 8}) {
          run("PostgreSQL (row lock, as shipped)", callers, seconds,
              () -> postgres(options), () -> Cpu.ofTree(postmaster));
          run("Redis (Lettuce, compare-and-swap)", callers, seconds,
              () -> shared, () -> Cpu.of(redisPid));
        }
      } finally {
        redis.shutdown();
      }
    }
  }

  /** One proxy manager per caller: each holds its own kept connection, as each node does. */
  private static ProxyManager<String> postgres(PgConnectOptions options) {
    return SharedBuckets.proxyManager(new KeptConnection(options, "bench"));
  }

  private static void run(String name, int callers, int seconds,
      Supplier<ProxyManager<String>> store, Supplier<Long> cpuTicks) throws Exception {
    List<ProxyManager<String>> managers = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      managers.add(store.get());
    }
    measure(2, managers); // warm-up: buckets created, JIT, connections
    long before = cpuTicks.get();
    List<long[]> latencies = measure(seconds, managers);
    long ticks = cpuTicks.get() - before;
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(n -> n > 0).sorted()
        .toArray();
    System.out.printf("%-36s %8d %10.0f %9.2f %9.2f %11.0f µs%n", name, callers,
        all.length / (double) seconds, all[all.length / 2] / 1e6, all[all.length * 99 / 100] / 1e6,
        ticks * 10_000.0 / all.length);
  }

  private static List<long[]> measure(int seconds, List<ProxyManager<String>> managers)
      throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<long[]> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (ProxyManager<String> buckets : managers) {
      long[] mine = new long[2_000_000];
      latencies.add(mine);
      Thread thread = new Thread(() -> {
        int n = 0;
        while (System.nanoTime() < end && n < mine.length) {
          String tenant = "ten_" + ThreadLocalRandom.current().nextInt(TENANTS);
          long started = System.nanoTime();
          buckets.builder().build(tenant, () -> PLAN).asVerbose().tryConsumeAsMuchAsPossible(10);
          mine[n++] = System.nanoTime() - started;
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return latencies;
  }

  /** CPU time (clock ticks of 10 ms) of a process, or of it and its children (PostgreSQL). */
  private static final class Cpu {
    static long of(long pid) {
      try {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (Exception e) {
        return 0;
      }
    }

    static long ofTree(long parent) {
      long total = of(parent);
      try (var procs = Files.list(Path.of("/proc"))) {
        for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
          try {
            String[] f = Files.readString(p.resolve("stat")).split("\\) ")[1].split(" ");
            if (Long.parseLong(f[1]) == parent) {
              total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
          } catch (Exception e) {
            // gone meanwhile
          }
        }
      } catch (Exception e) {
        return total;
      }
      return total;
    }
  }
}
