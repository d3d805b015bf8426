package com.learncoin.gateway;

import static com.learncoin.gateway.anchoring.Networks.LIVE_CHAIN_ID;
import static com.learncoin.gateway.anchoring.Networks.TEST_CHAIN_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.anchoring.LocalChainNode;
import com.learncoin.gateway.anchoring.Wallets;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.ChainAudit;
import com.learncoin.gateway.support.CrashClients;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.GatewayProcess;
import com.learncoin.gateway.support.Haproxy;
import com.learncoin.gateway.support.TestChains;
import com.learncoin.gateway.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three processes of the shipped jar on one PostgreSQL and one anvil, with cluster rate limits and
 * the keys copied from node 1 as scripts/cluster.sh does, behind a real HAProxy health-checking
 * /health/ready. Clients post small batches through HAProxy, each under its own Idempotency-Key,
 * retrying lost answers and 5xx with the same key; one node is killed with SIGKILL mid-load.
 */
@DisplayName("Failover: one of three gateway processes behind HAProxy killed with SIGKILL mid-load")
class ClusterFailoverIT {
  private static final int ORDERS = 160;
  private static final long LOAD_MILLIS = 20_000;
  private static final int BURST = 8;
  private static final int KILL_AT = ORDERS / 3;
  // A retry of a request the dead node had claimed waits out its claim (60 s, API.md §6).
  private static final Duration SETTLE = Duration.ofMinutes(3);
  private static final List<String> SHARED_KEYS =
      List.of("signing-key.ed25519", "key-encryption.key", Chains.WALLET_KEY_FILE);

  @Test
  @DisplayName("no 5xx reaches a client after its retries, every accepted batch exists once and "
      + "is anchored, every key replays its batch, and HAProxy takes the dead node out")
  void killOneNodeBehindHaproxy() throws Exception {
    long began = System.nanoTime();
    Path work = Files.createTempDirectory("learncoin-failover");
    Path logs = Path.of("target", "failover-logs").toAbsolutePath();
    Files.createDirectories(logs);
    String database = TestDatabase.createDatabase();
    Path anvil = TestChains.anvil();
    List<GatewayProcess> nodes = Collections.synchronizedList(new ArrayList<>());
    Haproxy haproxy = null;
    try (LocalChainNode chain = LocalChainNode.start(anvil, TEST_CHAIN_ID, null, 0);
         LocalChainNode live = LocalChainNode.start(anvil, LIVE_CHAIN_ID, null, 0);
         Connection db = DriverManager.getConnection(TestDatabase.jdbcUrl(database), "postgres",
             "postgres")) {
      chain.intervalMining(1);
      int port = Haproxy.freePort();
      String secret = "failover-" + UUID.randomUUID();
      String wallet = Wallets.loadOrCreate(dataDir(work, 1).resolve(Chains.WALLET_KEY_FILE))
          .getAddress();
      // Funded on both networks, or /health/ready stays 503 and HAProxy counts no node UP.
      chain.fund(wallet);
      live.fund(wallet);
      // Node 1 first: it migrates the database and makes the keys the others are given.
      nodes.add(GatewayProcess.start(environment(database, dataDir(work, 1), secret, chain, live,
          port), logs.resolve("node-1.log")));
      List<CompletableFuture<GatewayProcess>> others = new ArrayList<>();
      for (int i = 2; i <= 3; i++) {
        Path dir = dataDir(work, i);
        for (String key : SHARED_KEYS) {
          Files.copy(dataDir(work, 1).resolve(key), dir.resolve(key));
        }
        Map<String, String> env = environment(database, dir, secret, chain, live, port);
        Path log = logs.resolve("node-" + i + ".log");
        others.add(CompletableFuture.supplyAsync(() -> GatewayProcess.start(env, log)));
      }
      RuntimeException failed = null;
      for (CompletableFuture<GatewayProcess> node : others) {
        try {
          nodes.add(node.join());
        } catch (RuntimeException e) {
          failed = e; // the other node still joins the list, to be stopped
        }
      }
      if (failed != null) {
        throw failed;
      }
      haproxy = Haproxy.start(port, nodes.stream().map(GatewayProcess::port).toList(), work);
      Haproxy balancer = haproxy;
      Eventually.await("HAProxy counting the 3 nodes UP", Duration.ofSeconds(60),
          () -> balancer.servers().values().stream().filter("UP"::equals).count() == 3);

      System.out.printf("ClusterFailoverIT: 3 nodes UP behind HAProxy %d s after the start "
          + "(each node listening after %s ms)%n", (System.nanoTime() - began) / 1_000_000_000,
          nodes.stream().map(GatewayProcess::startMillis).toList());
      CrashAudit.Tenant tenant = CrashAudit.tenant(haproxy.url(), secret);
      Random random = new Random();
      long downAt;
      try (CrashClients clients = CrashClients.behindProxy(tenant.apiKey(), 8, 40);
           ChainAudit chainAudit = new ChainAudit(chain.rpcUrl(), wallet)) {
        clients.target(haproxy.url());
        long start = System.nanoTime();
        downAt = Long.MAX_VALUE;
        String sessionsAtDown = null;
        for (int i = 0; i < ORDERS; i++) {
          clients.submit("failover-" + UUID.randomUUID(), Batches.of(1 + random.nextInt(5)));
          // A third of the way in, a burst keeps every client busy: requests under way, some of
          // them on the node that then dies.
          boolean burst = i >= KILL_AT - BURST && i < KILL_AT;
          if (i == KILL_AT - 1) {
            for (int wait = 0; wait < 100 && clients.inFlight() < BURST / 2; wait++) {
              Thread.sleep(10);
            }
            GatewayProcess victim = nodes.get(1);
            int inFlight = clients.inFlight();
            assertThat(victim.kill()).as("exit code of SIGKILL").isEqualTo(137);
            long killed = System.nanoTime();
            Eventually.await("HAProxy marking node2 DOWN", Duration.ofSeconds(15),
                () -> "DOWN".equals(balancer.servers().get("node2")));
            downAt = System.nanoTime();
            sessionsAtDown = balancer.stat("stot").get("node2");
            System.out.printf("ClusterFailoverIT: node2 (pid %d) killed after %d orders, %d "
                + "requests in flight; DOWN in HAProxy %d ms later%n", victim.pid(), i + 1,
                inFlight, (downAt - killed) / 1_000_000);
          } else if (!burst) {
            long due = start + (i + 1) * LOAD_MILLIS * 1_000_000 / ORDERS;
            Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
          }
        }
        long settling = System.nanoTime();
        long down = downAt;
        Eventually.await("every POST answered", SETTLE,
            () -> clients.allAnswered() || !clients.violations().isEmpty());
        assertThat(clients.violations()).as("what the clients saw").isEmpty();
        Eventually.await("every batch anchored or failed", SETTLE,
            () -> CrashAudit.unfinished(db) == 0);
        Eventually.await("no anchoring transaction left in the pool", SETTLE,
            () -> chainAudit.pending() == 0);
        long settled = (System.nanoTime() - settling) / 1_000_000_000;
        System.out.printf("ClusterFailoverIT: settled %d s after the load; failed attempts (ms "
            + "after DOWN): %s%n", settled, clients.failures().stream().map(f -> (f.sentNanos()
            - down) / 1_000_000 + " " + f.what()).toList());
        // One batch per key, anchored with its credentials; every key replays its batch (202).
        CrashAudit.Figures figures = new CrashAudit(db, chainAudit, clients, tenant,
            haproxy.url()).verify();
        for (CrashClients.Order order : clients.orders().values()) {
          HttpResponse<String> again = clients.post(order);
          assertThat(again.headers().firstValue("Location")).as("Location replayed for %s",
              order.key()).contains("/v1/batches/" + clients.batchOfKey().get(order.key()));
          assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        }
        // Out of rotation: not one more session to node2. A request sent after that may still
        // lose its answer (HAProxy closes a client connection whose server connection was one to
        // node2, as a keep-alive race would): the client retries it like any lost answer. But it
        // never gets HAProxy's 502/503/504 for a dead server.
        assertThat(haproxy.stat("stot").get("node2")).as("sessions HAProxy sent to node2")
            .isEqualTo(sessionsAtDown);
        assertThat(clients.failures()).as("attempts answered 5xx though sent after HAProxy marked "
            + "node2 DOWN").noneMatch(f -> f.sentNanos() > down && f.what().startsWith("5"));
        assertThat(haproxy.servers()).containsEntry("node1", "UP").containsEntry("node3", "UP");
        System.out.printf("ClusterFailoverIT: %s; %d answers lost to the kill, retried 5xx %s, "
            + "%d orders answered after a retry; %d s in all%n",
            figures, clients.lostAnswers(), clients.retriedStatuses(),
            clients.answeredAfterRetry(), (System.nanoTime() - began) / 1_000_000_000);
      }
    } finally {
      if (haproxy != null) {
        haproxy.close();
      }
      for (GatewayProcess node : nodes) {
        if (node.isAlive()) {
          node.stop();
        }
      }
    }
  }

  private static Path dataDir(Path work, int node) throws Exception {
    return Files.createDirectories(work.resolve("node-" + node));
  }

  /** What cluster.sh gives each node; only the data directory differs. */
  private static Map<String, String> environment(String database, Path dataDir, String secret,
      LocalChainNode chain, LocalChainNode live, int balancerPort) {
    Map<String, String> env = new HashMap<>();
    env.put("LEARNCOIN_DB_URL", TestDatabase.url(database));
    env.put("LEARNCOIN_HTTP_PORT", "0");
    env.put("LEARNCOIN_HTTP_INSTANCES", "1");
    env.put("LEARNCOIN_DB_POOL_SIZE", "6");
    env.put("LEARNCOIN_DATA_DIR", dataDir.toString());
    env.put("LEARNCOIN_ADMIN_JWT_SECRET", secret);
    // Both chains given: a gateway with no RPC would start its own anvil, a child SIGKILL orphans.
    env.put("LEARNCOIN_CHAIN_TEST_RPC", chain.rpcUrl());
    env.put("LEARNCOIN_CHAIN_LIVE_RPC", live.rpcUrl());
    env.put("LEARNCOIN_RATE_LIMIT", "postgresql");
    env.put("LEARNCOIN_PUBLIC_BASE_URL", "http://127.0.0.1:" + balancerPort);
    return env;
  }
}
