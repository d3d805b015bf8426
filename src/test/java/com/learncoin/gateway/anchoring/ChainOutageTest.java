package com.learncoin.gateway.anchoring;

import static com.learncoin.gateway.anchoring.Networks.TEST_CHAIN_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.learncoin.gateway.support.ChainWait;
import com.learncoin.gateway.support.TestChains;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

@DisplayName("Chain outage: calls fail fast while the node is down, and the chain comes back whole")
class ChainOutageTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("stopped, every call fails within seconds as unavailable; restarted on the same "
      + "port with its state file, the earlier anchor is still on chain")
  void outageAndRestart() {
    LocalChainNode node = LocalChainNode.start(
        TestChains.anvil(), TEST_CHAIN_ID, dir.resolve("chain-state.json"), 0);
    Credentials wallet = Wallets.loadOrCreate(dir.resolve(Chains.WALLET_KEY_FILE));
    node.fund(wallet.getAddress());
    try (ChainClient client = new ChainClient(node.rpcUrl(), TEST_CHAIN_ID, wallet)) {
      byte[] root = root("anchored before the outage");
      BigInteger nonce = client.pendingNonce();
      SignedAnchor anchored = client.sign(root, nonce);
      client.broadcast(anchored);
      AnchorReceipt before = ChainWait.receipt(client, anchored.txHash());
      SignedAnchor waiting = client.sign(root("signed before the outage"), nonce.add(BigInteger.ONE));

      String rpcUrl = node.rpcUrl();
      node.stop();
      for (ThrowingCallable call : List.<ThrowingCallable>of(
          client::pendingNonce, client::blockNumber,
          () -> client.receipt(anchored.txHash()), () -> client.isKnown(anchored.txHash()),
          () -> client.broadcast(waiting), () -> client.sign(root, nonce))) {
        long start = System.nanoTime();
        assertThatThrownBy(call).isInstanceOf(ChainUnavailableException.class)
            .hasMessageContaining("127.0.0.1:" + node.port());
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
      }

      node = node.restart();
      assertThat(node.rpcUrl()).isEqualTo(rpcUrl);
      assertThat(client.receipt(anchored.txHash())).contains(before);
      assertThat(client.transactionInput(anchored.txHash())).isEqualTo(root);
      assertThat(client.pendingNonce()).isEqualTo(nonce.add(BigInteger.ONE));

      client.broadcast(anchored);
      client.broadcast(waiting);
      assertThat(ChainWait.receipt(client, waiting.txHash()).success()).isTrue();
      assertThat(client.pendingNonce()).isEqualTo(nonce.add(BigInteger.TWO));
    } finally {
      node.close();
    }
  }

  @Test
  @DisplayName("a node nobody listens for fails fast, and the error keeps the URL's API key out")
  void unreachableNode() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Credentials wallet = Wallets.loadOrCreate(dir.resolve(Chains.WALLET_KEY_FILE));
    String url = "http://127.0.0.1:" + port + "/v2/secret-api-key";
    try (ChainClient client = new ChainClient(url, TEST_CHAIN_ID, wallet)) {
      long start = System.nanoTime();
      assertThatThrownBy(client::blockNumber).isInstanceOf(ChainUnavailableException.class)
          .hasMessageContaining("127.0.0.1:" + port)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-api-key"));
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
    }
  }

  private static byte[] root(String batch) {
    return MerkleTree.sha256(batch.getBytes(StandardCharsets.UTF_8));
  }
}
