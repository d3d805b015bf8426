package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.anchoring.LocalChainNode;
import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.anchoring.Networks;
import com.learncoin.gateway.anchoring.Wallets;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.TestChains;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.http.HttpService;

/**
 * Anchoring rounds on a real anvil that mines a block every second, as a learning platform uses
 * us: a badge the moment a course ends, batches of one, from many tenants at once.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Anchoring rounds: one transaction carries every waiting batch, of every tenant")
class AnchoringRoundsTest {
  private static final int TENANTS = 20;
  private static final int BATCHES_PER_TENANT = 50;

  @Test
  @DisplayName("1,000 batches of one credential from 20 tenants anchor in fewer transactions than "
      + "blocks, and every credential's path folds to the root in its transaction's input")
  void smallBatchesShareRounds(Vertx vertx) throws Exception {
    Path dataDir = Files.createTempDirectory("learncoin-rounds");
    LocalChainNode node = LocalChainNode.start(TestChains.anvil(), Networks.TEST_CHAIN_ID, null, 0);
    Web3j chain = Web3j.build(new HttpService(node.rpcUrl()));
    try {
      String wallet = Wallets.loadOrCreate(dataDir.resolve(Chains.WALLET_KEY_FILE)).getAddress();
      node.fund(wallet);
      node.intervalMining(1);
      try (TestGateway app = TestGateway.start(vertx, Map.of("LEARNCOIN_DATA_DIR", dataDir.toString(),
          "LEARNCOIN_CHAIN_TEST_RPC", node.rpcUrl()))) {
        List<String> keys = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
          keys.add(app.newTestKey("industry"));
        }
        long firstBlock = chain.ethBlockNumber().send().getBlockNumber().longValueExact();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<String>> posted = new ArrayList<>();
        for (int i = 0; i < BATCHES_PER_TENANT; i++) {
          for (String key : keys) {
            posted.add(clients.submit(() -> app.post("/v1/batches", key, Batches.of(1).encode())
                .assertStatus(202).json().getString("id")));
          }
        }
        for (Future<String> batch : posted) {
          batch.get();
        }
        clients.shutdown();
        int total = TENANTS * BATCHES_PER_TENANT;
        Eventually.await("all " + total + " batches anchored", Duration.ofMinutes(3),
            () -> Optional.of(app.queryLong("SELECT count(*) FROM batches WHERE status = 'anchored'"))
                .filter(n -> n == total));

        long lastBlock = app.queryLong("SELECT max((anchor ->> 'block_number')::bigint) FROM batches");
        long transactions = app.queryLong("SELECT count(DISTINCT anchor ->> 'tx_hash') FROM batches");
        long blocksSpanned = lastBlock - firstBlock;
        System.out.printf("AnchoringRoundsTest: %d batches of one credential, %d tenants: %d "
            + "transactions over %d blocks%n", total, TENANTS, transactions, blocksSpanned);
        assertThat(transactions).as("transactions for %d batches over %d blocks", total, blocksSpanned)
            .isLessThanOrEqualTo(blocksSpanned).isLessThan(total / 10);
        assertThat(app.queryLong("SELECT max(n) FROM (SELECT count(DISTINCT tenant_id) AS n FROM "
            + "batches GROUP BY anchor ->> 'tx_hash') rounds")).as("tenants in one round")
            .isGreaterThan(1);
        BigInteger sent = chain.ethGetTransactionCount(wallet, DefaultBlockParameterName.LATEST)
            .send().getTransactionCount();
        assertThat(sent.longValueExact()).as("transactions the wallet ever sent").isEqualTo(transactions);

        // Every credential, as a client reads it, leads to the root its transaction carries.
        Map<String, String> inputs = new HashMap<>();
        Set<String> leaves = new HashSet<>();
        for (int i = 0; i < posted.size(); i++) {
          String key = keys.get(i % TENANTS);
          JsonObject credential = app.get("/v1/batches/" + posted.get(i).get() + "/credentials", key)
              .assertStatus(200).json().getJsonArray("data").getJsonObject(0);
          JsonObject receipt = credential.getJsonObject("anchor");
          assertThat(receipt.containsKey("batch_root")).as("batch_root in a receipt").isFalse();
          String input = inputs.computeIfAbsent(receipt.getString("tx_hash"), hash -> input(chain, hash));
          assertThat(input).isEqualToIgnoringCase(receipt.getString("merkle_root"));
          byte[] leaf = MerkleTree.sha256(credential.getJsonObject("credential").toBuffer().getBytes());
          assertThat(MerkleTree.hex(leaf)).isEqualTo(receipt.getString("leaf"));
          assertThat(MerkleTree.verify(leaf, receipt.getJsonArray("path"),
              MerkleTree.unhex(input))).as("path of %s", credential.getString("id")).isTrue();
          leaves.add(receipt.getString("leaf"));
        }
        assertThat(leaves).hasSize(total);

        // A batch shows both roots, and the credential verifies through the public route.
        JsonObject batch = app.get("/v1/batches/" + posted.get(0).get(), keys.get(0)).json();
        assertThat(batch.getJsonObject("anchor").getString("batch_root"))
            .isEqualTo(app.queryText("SELECT merkle_root FROM batches WHERE id = ?", batch.getString("id")));
        JsonObject credential = Batches.awaitCredential(app, keys.get(0), batch.getString("id"));
        JsonObject report = app.post("/v1/verify", keys.get(0), new JsonObject()
            .put("credential", credential.getJsonObject("credential"))
            .put("anchor", credential.getJsonObject("anchor")).encode()).assertStatus(200).json();
        assertThat(report.getBoolean("verified")).as("%s", report).isTrue();
      }
    } finally {
      chain.shutdown();
      node.close();
    }
  }

  private static String input(Web3j chain, String txHash) {
    try {
      Transaction tx = chain.ethGetTransactionByHash(txHash).send().getTransaction().orElseThrow();
      return tx.getInput();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
