package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.admin.AdminTokens;
import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.anchoring.Wallets;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.GatewayLauncher;
import com.learncoin.gateway.support.RawHttp.Fate;
import com.learncoin.gateway.support.RawHttp.Outcome;
import com.learncoin.gateway.support.RawHttp.PartlySent;
import com.learncoin.gateway.support.RawHttp;
import com.learncoin.gateway.support.TestChains;
import com.learncoin.gateway.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("SIGTERM under load")
class ShutdownUnderLoadTest {
  private static final int UPLOADS = 3;

  @Test
  @DisplayName("requests in flight get complete answers, every answer is in the audit log, exit "
      + "code 143, and the next start anchors every accepted batch")
  void sigtermUnderLoad(Vertx vertx) throws Exception {
    String database = TestDatabase.createDatabase();
    Path dataDir = Files.createTempDirectory("learncoin-sigterm");
    TestChains.fund(Wallets.loadOrCreate(dataDir.resolve(Chains.WALLET_KEY_FILE)).getAddress());
    String secret = "test-secret-" + UUID.randomUUID();
    GatewayLauncher launcher = GatewayLauncher.java("run")
        .with("LEARNCOIN_DB_URL", TestDatabase.url(database))
        .with("LEARNCOIN_HTTP_PORT", "0")
        .with("LEARNCOIN_DATA_DIR", dataDir.toString())
        .with("LEARNCOIN_ADMIN_JWT_SECRET", secret)
        .with("LEARNCOIN_CHAIN_TEST_RPC", TestChains.testRpc())
        .with("LEARNCOIN_CHAIN_LIVE_RPC", TestChains.liveRpc());
    Process process = launcher.start();
    ExecutorService clients = Executors.newFixedThreadPool(4 + UPLOADS);
    try {
      int port = GatewayLauncher.awaitListening(process);
      String key = testKey(port, AdminTokens.mint(AdminTokens.auth(vertx, secret), 10));
      byte[] batch = Batches.of(5).encode().getBytes(StandardCharsets.UTF_8);
      String seed = new JsonObject(RawHttp.send(port, "POST", "/v1/batches",
          RawHttp.apiHeaders(key), batch).body()).getString("id");

      Process running = process;
      List<Outcome> answers = new CopyOnWriteArrayList<>();
      for (int c = 0; c < 4; c++) {
        boolean posts = c < 2;
        clients.submit(() -> {
          while (running.isAlive()) {
            Outcome answer = posts
                ? RawHttp.send(port, "POST", "/v1/batches", RawHttp.apiHeaders(key,
                    "Idempotency-Key", UUID.randomUUID().toString()), batch)
                : RawHttp.send(port, "GET", "/v1/batches/" + seed, RawHttp.apiHeaders(key),
                    new byte[0]);
            answers.add(answer);
            if (answer.fate() == Fate.REFUSED) {
              Thread.sleep(50);
            }
          }
          return null;
        });
      }
      Thread.sleep(1_500);
      // Uploads under way at SIGTERM: headers and half the body sent, the rest only afterwards.
      List<PartlySent> uploads = new ArrayList<>();
      for (int i = 0; i < UPLOADS; i++) {
        uploads.add(RawHttp.open(port, "POST", "/v1/batches", RawHttp.apiHeaders(key,
            "Idempotency-Key", UUID.randomUUID().toString()), batch, batch.length / 2));
      }
      Thread.sleep(200);
      process.destroy();
      // Only once the gateway refuses new connections is it certainly shutting down.
      Eventually.await("new connections refused", Duration.ofSeconds(20),
          () -> RawHttp.send(port, "GET", "/health/live", "", new byte[0]).fate() == Fate.REFUSED);
      List<Outcome> inFlight = new ArrayList<>();
      for (PartlySent upload : uploads) {
        inFlight.add(upload.finish(batch, batch.length / 2));
      }
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(143);
      clients.shutdown();
      assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      System.out.printf("SIGTERM under load: %d requests, %s; uploads in flight: %s%n",
          answers.size(), answers.stream().collect(Collectors.groupingBy(
              a -> a.fate() + (a.fate() == Fate.COMPLETE ? " " + a.status() : ""), TreeMap::new,
              Collectors.counting())), inFlight);
      assertThat(inFlight).allSatisfy(a -> assertThat(a.fate()).isEqualTo(Fate.COMPLETE));
      assertThat(inFlight).extracting(Outcome::status).containsOnly(202);
      answers.addAll(inFlight);
      assertThat(answers).extracting(Outcome::fate).doesNotContain(Fate.CUT_MID_ANSWER);
      List<Outcome> complete = answers.stream().filter(a -> a.fate() == Fate.COMPLETE).toList();
      assertThat(complete).hasSizeGreaterThan(20).allSatisfy(a -> {
        assertThat(a.status()).as("%s %s", a, a.body()).isIn(200, 202);
        assertThat(a.requestId()).startsWith("req_");
      });
      List<String> requestIds = complete.stream().map(Outcome::requestId).toList();
      assertThat(query(database, "SELECT count(*) FROM audit_log WHERE request_id = ANY (?)",
          requestIds)).as("audit rows of the answered requests").isEqualTo(requestIds.size());

      List<String> accepted = new ArrayList<>(complete.stream().filter(a -> a.status() == 202)
          .map(a -> new JsonObject(a.body()).getString("id")).toList());
      accepted.add(seed);
      process = launcher.start();
      GatewayLauncher.awaitListening(process);
      Eventually.await("every batch anchored after the restart", Duration.ofMinutes(2),
          () -> query(database, "SELECT count(*) FROM batches WHERE status = 'anchored' "
              + "AND id = ANY (?)", accepted) == accepted.size()
              && query(database, "SELECT count(*) FROM batches WHERE status <> 'anchored'",
                  null) == 0);
      // A request closed before any answer was never run: no batch exists that was not answered.
      assertThat(query(database, "SELECT count(*) FROM batches", null)).isEqualTo(accepted.size());
      System.out.printf("after the restart: %d accepted batches anchored%n", accepted.size());
    } finally {
      clients.shutdownNow();
      process.destroy();
      process.waitFor(60, TimeUnit.SECONDS);
    }
  }

  private static String testKey(int port, String adminToken) {
    String admin = "Authorization: Bearer " + adminToken + "\r\nContent-Type: application/json\r\n";
    String tenant = new JsonObject(RawHttp.send(port, "POST", "/admin/v1/tenants", admin,
        new JsonObject().put("name", "Shutdown School").put("plan", "industry").toBuffer()
            .getBytes()).body()).getString("id");
    return new JsonObject(RawHttp.send(port, "POST", "/admin/v1/tenants/" + tenant + "/keys",
        admin, new JsonObject().put("environment", "test").toBuffer().getBytes()).body())
        .getString("key");
  }

  private static long query(String database, String sql, List<String> ids) {
    try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl(database), "postgres",
        "postgres"); PreparedStatement s = c.prepareStatement(sql)) {
      if (ids != null) {
        s.setArray(1, c.createArrayOf("text", ids.toArray()));
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
