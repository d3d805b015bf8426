package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.learncoin.gateway.support.CapturedLogs;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.Prometheus;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Three nodes on one database, as three machines behind a load balancer would run, started once
 * for the class; every test works on tenants of its own.
 */
@GatewayTest(env = {"LEARNCOIN_RATE_LIMIT=postgresql", "LEARNCOIN_RATE_LIMIT_SYNC_MILLIS=100"})
@DisplayName("LEARNCOIN_RATE_LIMIT=postgresql: three nodes sell a tenant's plan once, not three times")
class ClusterRateLimitTest {
  private static final Duration STATE_CHANGE = Duration.ofSeconds(20);
  private static final int SUSTAINED_SECONDS = 180;

  private static TestGateway app;
  private static List<TestGateway> nodes;
  private static ExecutorService clients;

  @BeforeAll
  static void threeNodes() {
    nodes = List.of(app, app.anotherNode(), app.anotherNode());
    clients = Executors.newFixedThreadPool(24);
    for (TestGateway node : nodes) {
      Eventually.await("each node counting 3 live nodes", STATE_CHANGE,
          () -> scrape(node).sum("learncoin_rate_limit_nodes") == 3);
    }
  }

  @AfterAll
  static void stop() {
    clients.shutdownNow();
    nodes.get(2).close();
    nodes.get(1).close();
  }

  @Test
  @DisplayName("a burst of 300 for a starter tenant (120/min) spread over the 3 nodes: 120-126 "
      + "admitted, the rest 429 rate_limited with Retry-After")
  void burstOverThreeNodes() throws Exception {
    String tenant = app.tenant("starter");
    String key = app.key(tenant, "test").getString("key");
    long started = System.nanoTime();
    List<Reply> replies = burst(tenant, key, 300);
    long admitted = admitted(replies);
    System.out.printf("ClusterRateLimitTest: burst of 300 over 3 nodes, %d admitted%n", admitted);
    assertThat(admitted).isBetween(120L, 120L + refilled(started, 2.0));
    Reply refused = replies.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    refused.assertError(429, "rate_limited");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isGreaterThanOrEqualTo(1);
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"tenant\";q=120;w=60");
    assertThat(replies).allSatisfy(r -> assertThat(r.status()).isIn(200, 429));
  }

  @Test
  @DisplayName("300 requests in 2 s for a starter tenant sent to only 2 of the 3 nodes: 120-126 "
      + "admitted (the issue's two-node case: 242 without a shared bucket)")
  void burstOverTwoNodes() throws Exception {
    String tenant = app.tenant("starter");
    String key = app.key(tenant, "test").getString("key");
    long started = System.nanoTime();
    // Over 2 s, not at once: with 3 nodes live each of the two first shares is plan / 3 (80 in
    // all); the third comes with the top-ups, no sooner than a second after a first share.
    List<Reply> replies = send(nodes.subList(0, 2), tenant, key, 300, 150);
    long admitted = admitted(replies);
    System.out.printf("ClusterRateLimitTest: 300 in 2 s over 2 nodes, %d admitted%n", admitted);
    assertThat(replies).allSatisfy(r -> assertThat(r.status()).isIn(200, 429));
    assertThat(admitted).isBetween(120L, 120L + refilled(started, 2.0));
  }

  @Test
  @DisplayName("a plan upgrade through the admin API of node 1 applies on nodes 2 and 3 within a "
      + "second, and the shared bucket takes the new plan's shape")
  void upgradeAppliesOnEveryNode() throws Exception {
    String tenant = app.tenant("starter");
    String key = app.key(tenant, "test").getString("key");
    assertThat(admitted(burst(tenant, key, 180))).isLessThan(180);
    app.admin("PATCH", "/admin/v1/tenants/" + tenant, new JsonObject().put("plan", "industry"))
        .assertStatus(200);
    long changed = System.nanoTime();
    for (TestGateway node : nodes.subList(1, 3)) {
      Eventually.await("industry's RateLimit-Policy", Duration.ofSeconds(1),
          () -> node.get("/v1/tenants/" + tenant, key).header("RateLimit-Policy")
              .equals("\"tenant\";q=6000;w=60"));
    }
    assertThat(Duration.ofNanos(System.nanoTime() - changed)).isLessThan(Duration.ofSeconds(1));
    // Far more than a starter tenant's refill (2 a second) could admit: the upgrade's tokens.
    assertThat(send(nodes.subList(1, 3), tenant, key, 100, 0))
        .allSatisfy(r -> r.assertStatus(200));
    ProxyManager<String> shared = sharedBuckets();
    Eventually.await("the shared bucket reshaped for 6000/min", Duration.ofSeconds(2),
        () -> shared.getProxyConfiguration(tenant).map(BucketConfiguration::getBandwidths)
            .map(b -> b[0].getCapacity() == 6000).orElse(false));
  }

  @Test
  @DisplayName("the shared store not answering: no 5xx, each node limits alone to plan / 3 (120-126 "
      + "over the nodes), ready stays 200 showing rate_limit degraded, logged once per node; once "
      + "it answers again the nodes rejoin and limits are exact again")
  void storeDownThenBack() throws Exception {
    try (CapturedLogs logs = new CapturedLogs()) {
      try (Connection lock = app.jdbc()) {
        // Every call of the limiters on these tables now waits, then fails on its lock timeout.
        lock.setAutoCommit(false);
        try (Statement s = lock.createStatement()) {
          s.execute("LOCK TABLE rate_limit_buckets, gateway_nodes IN ACCESS EXCLUSIVE MODE");
        }
        awaitStoreState("degraded");
        String tenant = app.tenant("starter");
        String key = app.key(tenant, "test").getString("key");
        long started = System.nanoTime();
        List<Reply> replies = burst(tenant, key, 300);
        assertThat(replies).allSatisfy(r -> assertThat(r.status()).isIn(200, 429));
        // Documented bound: live nodes x (plan / live nodes), plus what each share refills.
        assertThat(admitted(replies)).isBetween(120L, 120L + refilled(started, 2.0));
        for (TestGateway node : nodes) {
          assertThat(scrape(node).sum("learncoin_rate_limit_degraded")).isEqualTo(1.0);
        }
        lock.rollback();
      }
      awaitStoreState("ok");
      assertThat(logs.lines().stream().filter(l -> l.contains("Rate limit store not answering")))
          .hasSize(3);
      assertThat(logs.lines().stream().filter(l -> l.contains("Rate limit store answers again")))
          .hasSize(3);
    }
    String tenant = app.tenant("starter");
    String key = app.key(tenant, "test").getString("key");
    long started = System.nanoTime();
    assertThat(admitted(burst(tenant, key, 300))).isBetween(120L, 120L + refilled(started, 2.0));
  }

  @Test
  @DisplayName("sustained 1.5x an institution plan's rate (1,200/min) over the 3 nodes for 3 "
      + "minutes, after a burst that empties the bucket: admitted within 3 % of the allowance")
  void sustainedLoadWithinThreePercent() throws Exception {
    String tenant = app.tenant("institution");
    String key = app.key(tenant, "test").getString("key");
    long started = System.nanoTime();
    List<Reply> replies = new ArrayList<>(burst(tenant, key, 1_400));
    // 30 requests a second (1.5 x the 20 a second the plan refills), round-robin, for 3 minutes.
    replies.addAll(send(nodes, tenant, key, SUSTAINED_SECONDS * 30, 30));
    double seconds = (System.nanoTime() - started) / 1e9;
    double allowance = 1_200 + 20 * seconds;
    long admitted = admitted(replies);
    System.out.printf("ClusterRateLimitTest: sustained, %d of %d admitted over %.1f s, allowance "
        + "%.0f (%+.2f %%)%n", admitted, replies.size(), seconds, allowance,
        (admitted - allowance) / allowance * 100);
    assertThat(replies).allSatisfy(r -> assertThat(r.status()).isIn(200, 429));
    assertThat((double) admitted).as("admitted of %s over %.1f s (allowance %.0f)",
        replies.size(), seconds, allowance).isCloseTo(allowance, within(allowance * 0.03));
  }

  /** {@code count} requests at once, round-robin over the nodes. */
  private static List<Reply> burst(String tenant, String key, int count) throws Exception {
    return send(nodes, tenant, key, count, 0);
  }

  /**
   * {@code count} requests round-robin over {@code targets}: all at once, or {@code perSecond}
   * evenly paced when above 0; the replies once all are answered.
   */
  private static List<Reply> send(List<TestGateway> targets, String tenant, String key, int count,
      int perSecond) throws Exception {
    List<Future<Reply>> futures = new ArrayList<>();
    long next = System.nanoTime();
    for (int i = 0; i < count; i++) {
      TestGateway node = targets.get(i % targets.size());
      futures.add(clients.submit(() -> node.get("/v1/tenants/" + tenant, key)));
      if (perSecond > 0) {
        next += 1_000_000_000L / perSecond;
        TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
      }
    }
    List<Reply> replies = new ArrayList<>();
    for (Future<Reply> future : futures) {
      replies.add(future.get(60, TimeUnit.SECONDS));
    }
    return replies;
  }

  private static long admitted(List<Reply> replies) {
    return replies.stream().filter(r -> r.status() == 200).count();
  }

  /** Tokens a bucket refilling {@code perSecond} may have added since {@code sinceNanos}. */
  private static long refilled(long sinceNanos, double perSecond) {
    return (long) Math.ceil((System.nanoTime() - sinceNanos) / 1e9 * perSecond) + 1;
  }

  private static void awaitStoreState(String state) {
    for (TestGateway node : nodes) {
      JsonObject ready = Eventually.await("rate_limit " + state + " in readiness", STATE_CHANGE,
          () -> Optional.of(node.send("GET", "/health/ready", null).assertStatus(200).json())
              .filter(r -> state.equals(r.getJsonObject("checks").getString("rate_limit"))));
      assertThat(ready.getString("status")).isEqualTo("ready");
    }
  }

  private static Prometheus scrape(TestGateway node) {
    return new Prometheus(node.send("GET", "/metrics", null, "Authorization",
        "Bearer " + node.adminToken()).assertStatus(200).text());
  }

  /** The test's own view of the shared buckets, through Bucket4j as the nodes see them. */
  private static ProxyManager<String> sharedBuckets() {
    PGSimpleDataSource database = new PGSimpleDataSource();
    database.setURL(app.jdbcUrl());
    database.setUser("postgres");
    database.setPassword("postgres");
    return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(database)
        .primaryKeyMapper(PrimaryKeyMapper.STRING)
        .table("rate_limit_buckets").idColumn("tenant_id").stateColumn("state")
        .build();
  }
}
