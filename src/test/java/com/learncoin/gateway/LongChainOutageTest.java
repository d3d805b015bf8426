package com.learncoin.gateway;

import static com.learncoin.gateway.anchoring.Networks.TEST_CHAIN_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.anchoring.LocalChainNode;
import com.learncoin.gateway.anchoring.Wallets;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestChains;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A chain node down for a minute (system property {@code learncoin.chainOutageSeconds}, default
 * 60), longer than the worker's capped backoff: IssuanceOutageTest covers the short outage.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Chain node down for a minute")
class LongChainOutageTest {
  private static final long OUTAGE_MILLIS =
      Long.getLong("learncoin.chainOutageSeconds", 60) * 1_000;

  @Test
  @DisplayName("batches taken meanwhile wait without failing, readiness reports the chain down, "
      + "and all anchor once the node is back")
  void minuteLongOutage(Vertx vertx) throws Exception {
    Path dataDir = Files.createTempDirectory("learncoin-chain-minute");
    Path state = dataDir.resolve("chain-state.json");
    LocalChainNode node = LocalChainNode.start(TestChains.anvil(), TEST_CHAIN_ID, state, 0);
    node.fund(Wallets.loadOrCreate(dataDir.resolve(Chains.WALLET_KEY_FILE)).getAddress());
    TestGateway app = TestGateway.start(vertx, Map.of("LEARNCOIN_DATA_DIR", dataDir.toString(),
        "LEARNCOIN_CHAIN_TEST_RPC", node.rpcUrl()));
    try {
      String key = app.newTestKey("industry");
      String before = app.post("/v1/batches", key, Batches.of(2).encode()).assertStatus(202)
          .json().getString("id");
      Batches.awaitStatus(app, key, before, "anchored");
      node.stop();
      long down = System.currentTimeMillis();

      List<String> waiting = new ArrayList<>();
      int accepted = 0;
      int refused = 0;
      int readyDown = 0;
      int polls = 0;
      while (System.currentTimeMillis() - down < OUTAGE_MILLIS) {
        Reply intake = app.post("/v1/batches", key, Batches.of(2).encode());
        if (intake.status() == 202) {
          accepted++;
          waiting.add(intake.json().getString("id"));
        } else {
          intake.assertError(422, "anchoring_chain_unavailable");
          refused++;
          waiting.add(intake.header("Location").substring("/v1/batches/".length()));
        }
        for (String id : waiting) {
          JsonObject batch = app.get("/v1/batches/" + id, key).assertStatus(200).json();
          assertThat(batch.getString("status")).as("%s while the chain is down", id)
              .isIn("queued", "signing", "anchoring");
          JsonObject error = batch.getJsonObject("last_error");
          if (error != null) {
            assertThat(error.getString("code")).isEqualTo("anchoring_chain_unavailable");
          }
        }
        Reply ready = app.send("GET", "/health/ready", null);
        if (ready.status() == 503) {
          assertThat(ready.assertError(503, "service_unavailable").getString("message"))
              .contains("chain:base-sepolia");
          readyDown++;
        }
        polls++;
        Thread.sleep(5_000);
      }
      assertThat(refused).as("intake refusals once the breaker is open").isPositive();
      assertThat(readyDown).as("readiness reporting the chain down").isPositive();

      node = node.restart();
      long up = System.currentTimeMillis();
      // The first batch through closes the breaker; the rest are then due at once, not at the end
      // of a backoff that has grown to most of a minute.
      Eventually.await("a batch anchored after the restart", Duration.ofMinutes(1),
          () -> app.queryLong("SELECT count(*) FROM batches WHERE status = 'anchored'") > 1);
      Eventually.await("the other waiting batches due at once", Duration.ofSeconds(5),
          () -> app.queryLong("SELECT count(*) FROM batches WHERE status IN ('queued', 'signing', "
              + "'anchoring') AND next_attempt_at > now() + interval '2 seconds'") == 0);
      for (String id : waiting) {
        JsonObject batch = Batches.awaitStatus(app, key, id, "anchored");
        assertThat(batch.getValue("last_error")).isNull();
      }
      System.out.printf("chain down %d s: %d batches accepted (202), %d refused (422 with "
          + "Location), ready 503 at %d of %d polls; all %d anchored %d s after the restart%n",
          OUTAGE_MILLIS / 1000, accepted, refused, readyDown, polls, waiting.size(),
          (System.currentTimeMillis() - up) / 1000);
      assertThat(app.queryLong("SELECT count(*) FROM batches WHERE status = 'failed'")).isZero();
      app.send("GET", "/health/ready", null).assertStatus(200);
    } finally {
      app.close();
      node.close();
    }
  }
}
