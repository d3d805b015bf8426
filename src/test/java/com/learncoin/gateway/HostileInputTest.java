package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Envelope.Answer;
import com.learncoin.gateway.support.Envelope;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.RawHttp;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import com.learncoin.gateway.support.hostile.HostileCases.Case;
import com.learncoin.gateway.support.hostile.HostileCases;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("Bad input never produces a 5xx")
class HostileInputTest {
  /** Rerun a failure with -Dhostile.seed=<the seed in the failure message>. */
  private static final long SEED = Long.getLong("hostile.seed", 0x1EA2C0172026L);
  /** How many cases; -Dhostile.count=100000 for a longer run. */
  private static final int COUNT = Integer.getInteger("hostile.count", 10_000);
  /** Cases in flight at once, each on a keep-alive connection of the shared client (or its own socket). */
  private static final int PARALLEL = 8;
  private static TestGateway app;

  @Test
  @DisplayName("ten thousand malformed or hostile requests on every route all get a 4xx contract envelope; "
      + "none leaves a row behind, and the server stays healthy")
  void hostileRequests() throws Exception {
    // 12 industry tenants: 10,000 requests stay far below their buckets, so validation is reached
    String[] keys = IntStream.range(0, 12).mapToObj(i -> app.newTestKey("industry")).toArray(String[]::new);
    // Hostile requests probe what openapi.yaml does not describe (odd methods, framing): unvalidated.
    HostileCases generator = new HostileCases(app.unvalidated(), new Random(SEED), keys);
    long tenants = app.queryLong("SELECT count(*) FROM tenants");
    long apiKeys = app.queryLong("SELECT count(*) FROM api_keys");
    List<Case> cases = generator.generate(COUNT);
    System.out.printf("HostileInputTest: seed %d (-Dhostile.seed), %d cases (-Dhostile.count)%n", SEED,
        cases.size());
    assertThat(cases).hasSizeGreaterThanOrEqualTo(COUNT);
    List<String> violations = Collections.synchronizedList(new ArrayList<>());
    Map<String, Integer> tally = new ConcurrentHashMap<>();
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    List<Future<?>> runs = new ArrayList<>();
    for (Case c : cases) {
      runs.add(pool.submit(() -> judge(c, violations, tally)));
    }
    for (Future<?> run : runs) {
      run.get(2, TimeUnit.MINUTES); // a hang fails here
    }
    pool.shutdown();
    long millis = (System.nanoTime() - started) / 1_000_000;
    long serverErrors = tally.entrySet().stream().filter(e -> e.getKey().startsWith("5"))
        .mapToLong(Map.Entry::getValue).sum();
    System.out.printf("HostileInputTest: %d cases in %d ms, %d violations, %d 5xx, seed %d, answers %s%n",
        cases.size(), millis, violations.size(), serverErrors, SEED, new TreeMap<>(tally));
    violations.forEach(v -> System.out.println("  " + v));
    int validated = tally.entrySet().stream().filter(e -> e.getKey().startsWith("400 "))
        .mapToInt(Map.Entry::getValue).sum();
    if (validated < cases.size() / 2) { // the bodies must reach the validator, not stop at the key check
      violations.add("only " + validated + " requests were refused by validation (400): " + tally);
    }
    violations.addAll(leftovers(tenants, apiKeys));
    Reply ready = app.send("GET", "/health/ready", null);
    Reply batch = app.post("/v1/batches", keys[0], Batches.of(1).encode());
    if (ready.status() != 200 || batch.status() != 202) {
      violations.add("afterwards /health/ready answered " + ready.status() + ", a valid batch "
          + batch.status());
    }
    int shown = Math.min(20, violations.size());
    assertThat(violations).withFailMessage(() -> violations.size() + " of " + cases.size() + " hostile "
        + "requests broke the contract (seed " + SEED + ", rerun with -Dhostile.seed=" + SEED + "); the "
        + "first " + shown + ":\n  " + String.join("\n  ", violations.subList(0, shown))).isEmpty();
  }

  private static void judge(Case c, List<String> violations, Map<String, Integer> tally) {
    Answer answer = null;
    String problem;
    try {
      answer = c.send().get();
      problem = answer == null ? "closed without an answer" : Envelope.problemOf4xx(answer);
      tally.merge(answer == null ? "closed" : answer.status() + " " + Envelope.code(answer), 1, Integer::sum);
    } catch (RuntimeException e) {
      problem = "no answer: " + e;
    }
    if (problem != null && c.tolerated() != null && problem.startsWith(c.tolerated())) {
      System.out.println("  tolerated: " + c.what() + " -> " + problem);
    } else if (problem != null) {
      violations.add(c.what() + " -> " + problem
          + (answer == null ? "" : "; body " + RawHttp.prefix(answer.body())));
    }
  }

  /** Refused requests store nothing: no batch, credential, usage, endpoint, tenant or key, no open claim. */
  private static List<String> leftovers(long tenants, long apiKeys) {
    List<String> found = new ArrayList<>();
    Map<String, Long> expected = new TreeMap<>(Map.of(
        "SELECT count(*) FROM batches", 0L,
        "SELECT count(*) FROM credentials", 0L,
        "SELECT coalesce(sum(credentials), 0) FROM monthly_usage", 0L,
        "SELECT count(*) FROM webhook_endpoints", 0L,
        "SELECT count(*) FROM idempotency_keys WHERE status IS NULL OR status >= 500", 0L,
        "SELECT count(*) FROM tenants", tenants,
        "SELECT count(*) FROM api_keys", apiKeys));
    expected.forEach((sql, value) -> {
      long actual = app.queryLong(sql);
      if (actual != value) {
        found.add("after the hostile requests " + sql + " is " + actual + ", not " + value);
      }
    });
    return found;
  }
}
