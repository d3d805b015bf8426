package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.OwnChain;
import com.learncoin.gateway.support.RpcHoldingProxy;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A round's transaction on a real chain (anvil of its own, mining only when told or on an
 * interval): dropped from the pool, reorged out of its block, stuck behind a base-fee spike.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("A round's transaction on a real chain: dropped, reorged, replaced, under the fee ceiling")
class RoundChainEventsTest {
  private static final long GWEI = 1_000_000_000L;

  @Test
  @DisplayName("a transaction the node dropped is re-sent (the same bytes) and the round anchors once")
  void dropped(Vertx vertx) {
    try (OwnChain own = new OwnChain()) {
      own.chain.automine(false);
      try (TestGateway app = own.gateway(vertx, Map.of())) {
        String key = app.newTestKey("industry");
        String batchId = postBatch(app, key);
        String tx = awaitRound(app, "sent");
        own.rpc("anvil_dropTransaction", tx);
        assertThat(own.rpc("eth_getTransactionByHash", tx)).isNull();
        Eventually.await("the dropped transaction back in the pool", Duration.ofSeconds(30),
            () -> Optional.ofNullable(own.rpc("eth_getTransactionByHash", tx)));
        own.chain.mine(1);
        JsonObject anchor = Batches.awaitStatus(app, key, batchId, "anchored").getJsonObject("anchor");
        assertThat(anchor.getString("tx_hash")).isEqualTo(tx);
        assertThat(rounds(app)).isEqualTo(1);
        assertThat(minedByWallet(own)).as("transactions the wallet had mined").isEqualTo(1);
      }
    }
  }

  @Test
  @DisplayName("a reorg of the block holding a round before its confirmations: the batch never shows "
      + "anchored from the orphaned block, and anchors on the new chain")
  void reorg(Vertx vertx) {
    try (OwnChain own = new OwnChain()) {
      own.chain.automine(false);
      try (TestGateway app = own.gateway(vertx, Map.of("LEARNCOIN_CONFIRMATIONS", "3"))) {
        String key = app.newTestKey("industry");
        String batchId = postBatch(app, key);
        String tx = awaitRound(app, "sent");
        own.chain.mine(1);
        awaitRound(app, "mined");
        String orphaned = blockHash(own, tx);
        // Replaces the last block by an empty one: the round's transaction leaves the chain.
        own.rpc("anvil_reorg", 1, new JsonArray());
        assertThat(own.rpc("eth_getTransactionReceipt", tx)).isNull();
        Eventually.await("the reorg seen: the round waits for its transaction again",
            Duration.ofSeconds(30), () -> Optional.ofNullable(app.queryText(
                "SELECT min(id) FROM batches WHERE anchor_tx_hash = ? AND anchor_block IS NULL", tx)));
        assertThat(app.get("/v1/batches/" + batchId, key).json().getString("status"))
            .isEqualTo("anchoring");
        Eventually.await("the transaction in the pool again", Duration.ofSeconds(30),
            () -> Optional.ofNullable(own.rpc("eth_getTransactionByHash", tx)));
        own.chain.mine(1);
        awaitRound(app, "mined");
        assertThat(app.get("/v1/batches/" + batchId, key).json().getString("status"))
            .as("one confirmation of three").isEqualTo("anchoring");
        own.chain.mine(2);
        JsonObject anchor = Batches.awaitStatus(app, key, batchId, "anchored").getJsonObject("anchor");
        assertThat(anchor.getString("tx_hash")).isEqualTo(tx);
        assertThat(blockHash(own, tx)).isNotEqualTo(orphaned);
        JsonObject block = (JsonObject) own.rpc("eth_getBlockByNumber",
            "0x" + Long.toHexString(anchor.getLong("block_number")), false);
        assertThat(block.getJsonArray("transactions").getList()).contains(tx);
        assertThat(rounds(app)).isEqualTo(1);
        assertThat(app.send("GET", "/metrics", null, "Authorization", "Bearer " + app.adminToken())
            .text()).containsPattern(
                "learncoin_anchoring_round_events_total\\{event=\"reorg\",network=\"base-sepolia\"} 1");
      }
    }
  }

  @Test
  @DisplayName("a base-fee spike leaves the round's transaction stuck: it is replaced (same nonce, "
      + "higher fees, stored first) and the round anchors once, by the replacement")
  void replaced(Vertx vertx) {
    try (OwnChain own = new OwnChain()) {
      own.chain.automine(false);
      try (TestGateway app = own.gateway(vertx, Map.of())) {
        String key = app.newTestKey("industry");
        String batchId = postBatch(app, key);
        String stuck = awaitRound(app, "sent");
        own.rpc("anvil_setNextBlockBaseFeePerGas", "0x" + Long.toHexString(50 * GWEI));
        own.rpc("evm_setIntervalMining", 1);
        JsonObject anchor = Batches.awaitStatus(app, key, batchId, "anchored").getJsonObject("anchor");
        String replacement = anchor.getString("tx_hash");
        assertThat(replacement).as("the replacement anchors").isNotEqualTo(stuck);
        assertThat(app.queryText("SELECT anchor_replaced[1] FROM batches WHERE id = ?", batchId))
            .isEqualTo(stuck);
        assertThat(own.rpc("eth_getTransactionReceipt", stuck)).isNull();
        JsonObject first = transaction(own, replacement);
        assertThat(first.getString("nonce")).isEqualTo("0x0");
        assertThat(rounds(app)).isEqualTo(1);
        assertThat(minedByWallet(own)).as("transactions the wallet had mined").isEqualTo(1);
        assertThat(app.send("GET", "/metrics", null, "Authorization", "Bearer " + app.adminToken())
            .text()).containsPattern(
                "learncoin_anchoring_round_events_total\\{event=\"replaced\",network=\"base-sepolia\"} [1-9]");
      }
    }
  }

  @Test
  @DisplayName("the replaced transaction is mined after all, while its replacement is on its way: "
      + "the round anchors once, by the one mined, and is not sent again")
  void replacedOneMinedAfterAll(Vertx vertx) {
    try (OwnChain own = new OwnChain(); RpcHoldingProxy rpc = new RpcHoldingProxy(own.chain.rpcUrl())) {
      own.chain.automine(false);
      try (TestGateway app = own.gateway(vertx, Map.of("LEARNCOIN_CHAIN_TEST_RPC", rpc.url()))) {
        String key = app.newTestKey("industry");
        String batchId = postBatch(app, key);
        String original = awaitRound(app, "sent");
        String originalBytes = app.queryText("SELECT anchor_raw_tx FROM batches WHERE id = ?", batchId);
        Eventually.await("the round's transaction in the pool", Duration.ofSeconds(30),
            () -> Optional.ofNullable(own.rpc("eth_getTransactionByHash", original)));
        rpc.holdSends(8_000);
        own.rpc("anvil_setNextBlockBaseFeePerGas", "0x" + Long.toHexString(50 * GWEI));
        own.rpc("evm_setIntervalMining", 1);
        Eventually.await("a replacement stored and on its way", Duration.ofSeconds(30),
            () -> Optional.ofNullable(app.queryText(
                "SELECT anchor_replaced[1] FROM batches WHERE id = ?", batchId)).filter(h -> rpc.held() > 0));
        // Fees fall at once and the original, which anvil evicted under the spike but other nodes
        // of a real network may still hold, comes back and is mined before the replacement
        // reaches the node, which then refuses it (nonce too low).
        own.rpc("anvil_setNextBlockBaseFeePerGas", "0x1");
        own.rpc("eth_sendRawTransaction", originalBytes);
        JsonObject anchor = Batches.awaitStatus(app, key, batchId, "anchored").getJsonObject("anchor");
        assertThat(anchor.getString("tx_hash")).isEqualTo(original);
        Eventually.await("the replacement delivered", Duration.ofSeconds(30), () -> rpc.held() == 0);
        assertThat(app.get("/v1/batches/" + batchId, key).json().getJsonObject("anchor")
            .getString("tx_hash")).isEqualTo(original);
        assertThat(rounds(app)).isEqualTo(1);
        assertThat(app.queryLong("SELECT count(*) FROM batches WHERE anchor_tx_hash IS NULL"))
            .as("batches sent back to wait for another round").isZero();
        assertThat(minedByWallet(own)).as("transactions the wallet had mined").isEqualTo(1);
      }
    }
  }

  @Test
  @DisplayName("LEARNCOIN_MAX_FEE_GWEI: no transaction bids above the ceiling; the round waits for the "
      + "base fee to come down under it, then anchors once")
  void feeCeiling(Vertx vertx) {
    try (OwnChain own = new OwnChain()) {
      own.chain.automine(false);
      try (TestGateway app = own.gateway(vertx, Map.of("LEARNCOIN_MAX_FEE_GWEI", "20"))) {
        String key = app.newTestKey("industry");
        String batchId = postBatch(app, key);
        awaitRound(app, "sent");
        own.rpc("anvil_setNextBlockBaseFeePerGas", "0x" + Long.toHexString(50 * GWEI));
        own.rpc("evm_setIntervalMining", 1);
        JsonObject anchor = Batches.awaitStatus(app, key, batchId, "anchored").getJsonObject("anchor");
        JsonObject mined = transaction(own, anchor.getString("tx_hash"));
        assertThat(new BigInteger(mined.getString("maxFeePerGas").substring(2), 16))
            .isLessThanOrEqualTo(BigInteger.valueOf(20 * GWEI));
        for (String hash : app.queryText("SELECT array_to_string(anchor_replaced, ',') FROM batches "
            + "WHERE id = ?", batchId).split(",")) {
          JsonObject replaced = transaction(own, hash);
          assertThat(replaced == null ? BigInteger.ZERO
              : new BigInteger(replaced.getString("maxFeePerGas").substring(2), 16))
              .as("every transaction signed for the round").isLessThanOrEqualTo(BigInteger.valueOf(20 * GWEI));
        }
        assertThat(rounds(app)).isEqualTo(1);
        assertThat(minedByWallet(own)).isEqualTo(1);
      }
    }
  }

  @Test
  @DisplayName("a round leaves out a batch another worker is in the middle of: that worker keeps "
      + "its schedule, and the batch anchors in the round after")
  void batchUnderAnotherWorker(Vertx vertx) {
    try (OwnChain own = new OwnChain()) {
      own.chain.automine(false);
      try (TestGateway app = own.gateway(vertx, Map.of())) {
        String key = app.newTestKey("industry");
        String first = postBatch(app, key);
        awaitRound(app, "sent");
        String held = postBatch(app, key);
        Eventually.await("the second batch signed, waiting for a round", Duration.ofSeconds(60),
            () -> app.queryLong("SELECT count(*) FROM batches WHERE id = ? AND status = 'anchoring' "
                + "AND anchor_tx_hash IS NULL", held) == 1);
        // Another node's worker claimed it (as IssuanceSql.CLAIM does) and is not done with it.
        app.execute("UPDATE batches SET leased_until = now() + interval '1 hour' WHERE id = '"
            + held + "'");
        own.chain.mine(1);
        Batches.awaitStatus(app, key, first, "anchored");
        String third = postBatch(app, key);
        String next = Eventually.await("the next round", Duration.ofSeconds(60), () -> Optional
            .ofNullable(app.queryText("SELECT anchor_tx_hash FROM batches WHERE id = ?", third)));
        assertThat(app.queryText("SELECT anchor_tx_hash FROM batches WHERE id = ?", held))
            .as("the held batch is not in round " + next).isNull();
        // That worker is done: the batch waits like any other and joins the round after.
        app.execute("UPDATE batches SET leased_until = NULL, next_attempt_at = now() WHERE id = '"
            + held + "'");
        own.rpc("evm_setIntervalMining", 1);
        Batches.awaitStatus(app, key, third, "anchored");
        String heldTx = Batches.awaitStatus(app, key, held, "anchored").getJsonObject("anchor")
            .getString("tx_hash");
        assertThat(heldTx).isNotEqualTo(next);
        assertThat(rounds(app)).isEqualTo(3);
      }
    }
  }

  private static String postBatch(TestGateway app, String key) {
    return app.post("/v1/batches", key, Batches.of(2).encode()).assertStatus(202).json()
        .getString("id");
  }

  /** The current transaction of the newest round that is {@code sent} (unmined) or {@code mined}. */
  private static String awaitRound(TestGateway app, String state) {
    String mined = state.equals("mined") ? "IS NOT NULL" : "IS NULL";
    return Eventually.await("a round " + state, Duration.ofSeconds(60), () -> Optional.ofNullable(
        app.queryText("SELECT max(anchor_tx_hash) FROM batches WHERE anchor_tx_hash IS NOT NULL "
            + "AND status = 'anchoring' AND anchor_block " + mined)));
  }

  private static long rounds(TestGateway app) {
    return app.queryLong("SELECT count(DISTINCT anchor->>'tx_hash') FROM batches WHERE anchor IS NOT NULL");
  }

  private static long minedByWallet(OwnChain own) {
    return Long.decode((String) own.rpc("eth_getTransactionCount", own.wallet, "latest"));
  }

  private static JsonObject transaction(OwnChain own, String hash) {
    return (JsonObject) own.rpc("eth_getTransactionByHash", hash);
  }

  private static String blockHash(OwnChain own, String tx) {
    return ((JsonObject) own.rpc("eth_getTransactionReceipt", tx)).getString("blockHash");
  }
}
