package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.anchoring.LocalChainNode;
import com.learncoin.gateway.anchoring.Networks;
import com.learncoin.gateway.anchoring.Wallets;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestChains;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("An unfunded anchoring wallet is visible to operators and clients, and funding it resumes anchoring")
class WalletFundingTest {

  @Test
  @DisplayName("unfunded: ready names wallet_underfunded, intake answers 422 with Location; funded: everything anchors")
  void underfundedThenFunded(Vertx vertx) throws Exception {
    Path dataDir = Files.createTempDirectory("learncoin-unfunded");
    LocalChainNode node = LocalChainNode.start(TestChains.anvil(), Networks.TEST_CHAIN_ID, null, 0);
    String wallet = Wallets.loadOrCreate(dataDir.resolve(Chains.WALLET_KEY_FILE)).getAddress();
    try (TestGateway app = TestGateway.start(vertx, Map.of("LEARNCOIN_DATA_DIR", dataDir.toString(),
        "LEARNCOIN_CHAIN_TEST_RPC", node.rpcUrl()))) {
      // TestGateway funds the wallet on the shared nodes; this node starts it at zero.
      String key = app.newTestKey("industry");
      Reply notReady = Eventually.await("readiness naming the unfunded wallet", Duration.ofSeconds(30),
          () -> Optional.of(app.send("GET", "/health/ready", null))
              .filter(r -> r.status() == 503 && r.text().contains("wallet_underfunded")));
      assertThat(notReady.json().getJsonObject("error").getString("message"))
          .contains("chain:base-sepolia").contains("wallet_underfunded");
      assertThat(app.send("GET", "/metrics", null, "Authorization", "Bearer " + app.adminToken())
          .text()).containsPattern("learncoin_wallet_balance_eth\\{network=\"base-sepolia\"} 0\\.0");

      Reply refused = app.post("/v1/batches", key, Batches.of(2).encode());
      refused.assertError(422, "anchoring_chain_unavailable");
      String batchId = refused.header("Location").substring("/v1/batches/".length());

      node.fund(wallet);
      Eventually.await("ready again", Duration.ofSeconds(30),
          () -> Optional.of(app.send("GET", "/health/ready", null)).filter(r -> r.status() == 200));
      Batches.awaitStatus(app, key, batchId, "anchored");
      String next = app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202).json()
          .getString("id");
      Batches.awaitStatus(app, key, next, "anchored");
    } finally {
      node.close();
    }
  }
}
