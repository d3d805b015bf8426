package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Two nodes on one database share the issuance queue")
class MultiNodeIssuanceTest {

  @Test
  @DisplayName("every batch is anchored once, by one transaction of its own, whichever node takes it")
  void eachBatchOnce(Vertx vertx) {
    try (TestGateway nodeA = TestGateway.start(vertx); TestGateway nodeB = nodeA.anotherNode()) {
      String key = nodeA.newTestKey("industry");
      List<String> batches = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        TestGateway node = i % 2 == 0 ? nodeA : nodeB;
        batches.add(node.post("/v1/batches", key, Batches.of(20).encode()).assertStatus(202)
            .json().getString("id"));
      }
      Set<String> transactions = new HashSet<>();
      for (String batchId : batches) {
        transactions.add(Batches.awaitStatus(nodeB, key, batchId, "anchored")
            .getJsonObject("anchor").getString("tx_hash"));
      }
      assertThat(transactions).hasSize(8);
      assertThat(nodeA.queryLong("SELECT count(DISTINCT anchor_nonce) FROM batches")).isEqualTo(8);
      assertThat(nodeA.queryLong("SELECT count(*) FROM credentials WHERE status = 'active'"))
          .isEqualTo(160);
    }
  }
}
