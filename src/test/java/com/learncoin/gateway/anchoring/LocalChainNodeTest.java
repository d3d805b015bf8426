package com.learncoin.gateway.anchoring;

import static com.learncoin.gateway.anchoring.Networks.LIVE_CHAIN_ID;
import static com.learncoin.gateway.anchoring.Networks.TEST_CHAIN_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.learncoin.gateway.support.TestChains;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Local chain node: a real anvil on loopback that keeps its chain across restarts")
class LocalChainNodeTest {
  private static final String ADDRESS = "0x00000000000000000000000000000000000a4c40";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  @Test
  @DisplayName("started on port 0, it answers on 127.0.0.1 with the requested chain id")
  void startsOnAnyPort() throws Exception {
    try (LocalChainNode node = LocalChainNode.start(TestChains.anvil(), LIVE_CHAIN_ID, null, 0)) {
      assertThat(node.port()).isPositive();
      assertThat(node.rpcUrl()).isEqualTo("http://127.0.0.1:" + node.port());
      assertThat(quantity(node, "eth_chainId", new JsonArray())).isEqualTo(LIVE_CHAIN_ID);
      node.fund(ADDRESS);
      assertThat(quantity(node, "eth_getBalance", new JsonArray().add(ADDRESS).add("latest")))
          .isEqualTo(BigInteger.TEN.pow(21));
    }
  }

  @Test
  @DisplayName("stopped and restarted with its state file, it is back on the same port with its "
      + "blocks and balances")
  void restartKeepsTheChain() throws Exception {
    LocalChainNode node =
        LocalChainNode.start(TestChains.anvil(), TEST_CHAIN_ID, dir.resolve("state.json"), 0);
    try {
      node.fund(ADDRESS);
      node.mine(5);
      int port = node.port();
      node.stop();
      assertThat(node.isRunning()).isFalse();

      node = node.restart();
      assertThat(node.port()).isEqualTo(port);
      assertThat(quantity(node, "eth_blockNumber", new JsonArray())).isEqualTo(5);
      assertThat(quantity(node, "eth_getBalance", new JsonArray().add(ADDRESS).add("latest")))
          .isEqualTo(BigInteger.TEN.pow(21));
    } finally {
      node.close();
    }
  }

  @Test
  @DisplayName("a node left running by a killed gateway is stopped (its state written) by the next "
      + "start on the same state file")
  void leftoverNodeIsStopped() throws Exception {
    Path state = dir.resolve("state.json");
    LocalChainNode leftover = LocalChainNode.start(TestChains.anvil(), TEST_CHAIN_ID, state, 0);
    leftover.fund(ADDRESS);
    leftover.mine(3);
    // The owner "dies" without stopping it: the next start finds it through the pid file.
    try (LocalChainNode next = LocalChainNode.start(TestChains.anvil(), TEST_CHAIN_ID, state, 0)) {
      assertThat(leftover.isRunning()).isFalse();
      assertThat(quantity(next, "eth_blockNumber", new JsonArray())).isEqualTo(3);
      assertThat(quantity(next, "eth_getBalance", new JsonArray().add(ADDRESS).add("latest")))
          .isEqualTo(BigInteger.TEN.pow(21));
    } finally {
      leftover.kill();
    }
  }

  @Test
  @DisplayName("a node asked for a port already taken fails at once with anvil's own words")
  void takenPort() {
    try (LocalChainNode first = LocalChainNode.start(TestChains.anvil(), TEST_CHAIN_ID, null, 0)) {
      long start = System.nanoTime();
      assertThatThrownBy(
          () -> LocalChainNode.start(TestChains.anvil(), TEST_CHAIN_ID, null, first.port()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("anvil exited before listening");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }
  }

  private static BigInteger quantity(LocalChainNode node, String method, JsonArray params)
      throws Exception {
    String body = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", method)
        .put("params", params).encode();
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.rpcUrl()))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    JsonObject answer =
        new JsonObject(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    return new BigInteger(answer.getString("result").substring(2), 16);
  }
}
