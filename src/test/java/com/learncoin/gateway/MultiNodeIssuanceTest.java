package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.TestChains;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

@ExtendWith(VertxExtension.class)
@DisplayName("Two nodes on one database share the issuance queue")
class MultiNodeIssuanceTest {
  private static final int BATCHES = 24;

  @Test
  @DisplayName("24 batches posted at once to both nodes are each anchored once, in rounds both nodes "
      + "build: one transaction per round carrying its root, and the shared wallet sent no other")
  void eachBatchOnce(Vertx vertx) throws Exception {
    try (TestGateway nodeA = TestGateway.start(vertx); TestGateway nodeB = nodeA.anotherNode()) {
      String key = nodeA.newTestKey("industry");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<String>> posted = new ArrayList<>();
      for (int i = 0; i < BATCHES; i++) {
        TestGateway node = i % 2 == 0 ? nodeA : nodeB;
        posted.add(pool.submit(() -> node.post("/v1/batches", key, Batches.of(10).encode())
            .assertStatus(202).json().getString("id")));
      }
      List<String> batches = new ArrayList<>();
      for (Future<String> id : posted) {
        batches.add(id.get());
      }
      pool.shutdown();
      Web3j chain = Web3j.build(new HttpService(TestChains.testRpc()));
      Set<String> transactions = new HashSet<>();
      Set<String> senders = new HashSet<>();
      for (String batchId : batches) {
        JsonObject anchor = Batches.awaitStatus(nodeB, key, batchId, "anchored").getJsonObject("anchor");
        transactions.add(anchor.getString("tx_hash"));
        Transaction tx = chain.ethGetTransactionByHash(anchor.getString("tx_hash")).send()
            .getTransaction().orElseThrow();
        assertThat(tx.getInput()).as("the input of %s's transaction", batchId)
            .containsIgnoringCase(anchor.getString("merkle_root").replaceFirst("^0x", ""));
        senders.add(tx.getFrom());
        assertThat(anchor.getString("batch_root")).isEqualTo(nodeA.queryText(
            "SELECT merkle_root FROM batches WHERE id = ?", batchId));
        assertThat(MerkleTree.verify(MerkleTree.unhex(anchor.getString("batch_root")),
            new JsonArray(nodeA.queryText("SELECT round_path::text FROM batches WHERE id = ?", batchId)),
            MerkleTree.unhex(anchor.getString("merkle_root")))).as("%s's path to its round's root",
            batchId).isTrue();
      }
      assertThat(transactions).as("rounds").isNotEmpty().hasSizeLessThanOrEqualTo(BATCHES);
      assertThat(senders).hasSize(1);
      BigInteger sent = chain.ethGetTransactionCount(senders.iterator().next(),
          DefaultBlockParameterName.LATEST).send().getTransactionCount();
      assertThat(sent).as("transactions the shared wallet ever sent").isEqualTo(BigInteger.valueOf(transactions.size()));
      assertThat(nodeA.queryLong("SELECT count(DISTINCT anchor_nonce) FROM batches"))
          .isEqualTo(transactions.size());
      assertThat(nodeA.queryLong("SELECT count(*) FROM credentials WHERE status = 'active'"))
          .isEqualTo(BATCHES * 10L);
      chain.shutdown();
    }
  }
}
