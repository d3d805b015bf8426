package com.learncoin.gateway.anchoring;

import static com.learncoin.gateway.anchoring.Networks.LIVE_CHAIN_ID;
import static com.learncoin.gateway.anchoring.Networks.TEST_CHAIN_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.learncoin.gateway.support.ChainWait;
import com.learncoin.gateway.support.FakeKms;
import com.learncoin.gateway.support.TestChains;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

@DisplayName("Chain client on a real anvil node: each root lands once, outages fail fast")
class ChainClientTest {
  @TempDir
  static Path dir;

  private static LocalChainNode node;
  private static Credentials wallet;
  private static ChainClient client;

  @BeforeAll
  static void startNode() {
    node = LocalChainNode.start(TestChains.anvil(), TEST_CHAIN_ID, null, 0);
    wallet = Wallets.loadOrCreate(dir.resolve(Chains.WALLET_KEY_FILE));
    node.fund(wallet.getAddress());
    client = new ChainClient(node.rpcUrl(), TEST_CHAIN_ID, wallet);
  }

  @AfterAll
  static void stopNode() {
    client.close();
    node.close();
  }

  @Test
  @DisplayName("a signed and broadcast root is mined with success, and the chain holds the root")
  void anchorsARoot() {
    byte[] root = root("batch one");
    long start = System.nanoTime();
    SignedAnchor tx = client.sign(root, client.pendingNonce());
    assertThat(tx.txHash()).matches("0x[0-9a-f]{64}");
    assertThat(tx.rawTransaction()).startsWith("0x02");

    client.broadcast(tx);
    AnchorReceipt receipt = ChainWait.receipt(client, tx.txHash());
    System.out.printf("anchor latency on anvil (sign + broadcast + receipt): %d ms%n",
        (System.nanoTime() - start) / 1_000_000);

    assertThat(receipt.success()).isTrue();
    assertThat(receipt.txHash()).isEqualTo(tx.txHash());
    assertThat(receipt.blockNumber()).isPositive().isLessThanOrEqualTo(client.blockNumber());
    assertThat(client.transactionInput(tx.txHash())).isEqualTo(root);
    assertThat(client.isKnown(tx.txHash())).isTrue();
  }

  @Test
  @DisplayName("roots signed by a Cloud KMS wallet land, sent from the KMS key's address")
  void kmsWalletAnchors() throws Exception {
    try (FakeKms kms = new FakeKms()) {
      KmsWallet kmsWallet = new KmsWallet(kms.client(), kms.secp256k1KeyVersionName());
      node.fund(kmsWallet.address());
      Web3j reader = Web3j.build(new HttpService(node.rpcUrl()));
      try (ChainClient kmsClient = new ChainClient(node.rpcUrl(), TEST_CHAIN_ID, kmsWallet)) {
        assertThat(kmsClient.address()).isEqualTo(kmsWallet.address());
        // Several anchors, so some KMS answers have a high s. Anvil accepts those, but Base's
        // nodes refuse them (EIP-2), so the s on chain is checked to be folded.
        for (int i = 0; i < 10; i++) {
          byte[] root = root("kms batch " + i);
          SignedAnchor tx = kmsClient.sign(root, kmsClient.pendingNonce());
          kmsClient.broadcast(tx);

          assertThat(ChainWait.receipt(kmsClient, tx.txHash()).success()).isTrue();
          assertThat(kmsClient.transactionInput(tx.txHash())).isEqualTo(root);
          Transaction onChain = reader.ethGetTransactionByHash(tx.txHash()).send()
              .getTransaction().orElseThrow();
          assertThat(onChain.getFrom()).isEqualTo(kmsWallet.address());
          assertThat(onChain.getTo()).isEqualTo(kmsWallet.address());
          assertThat(Numeric.toBigInt(onChain.getS()))
              .isLessThanOrEqualTo(Sign.CURVE_PARAMS.getN().shiftRight(1));
        }
      } finally {
        reader.shutdown();
      }
    }
  }

  @Test
  @DisplayName("broadcasting the same signed transaction twice yields one transaction")
  void rebroadcastIsHarmless() {
    BigInteger nonce = client.pendingNonce();
    SignedAnchor tx = client.sign(root("batch sent twice"), nonce);
    client.broadcast(tx);
    client.broadcast(tx);
    assertThat(ChainWait.receipt(client, tx.txHash()).success()).isTrue();
    assertThat(client.pendingNonce()).isEqualTo(nonce.add(BigInteger.ONE));
  }

  @Test
  @DisplayName("a re-broadcast while the first copy is still pending is harmless too")
  void rebroadcastWhilePending() {
    node.automine(false);
    try {
      BigInteger nonce = client.pendingNonce();
      SignedAnchor tx = client.sign(root("batch in the pool"), nonce);
      client.broadcast(tx);
      client.broadcast(tx);
      assertThat(client.isKnown(tx.txHash())).isTrue();
      assertThat(client.receipt(tx.txHash())).isEmpty();
      assertThat(client.pendingNonce()).isEqualTo(nonce.add(BigInteger.ONE));

      node.mine(1);
      assertThat(ChainWait.receipt(client, tx.txHash()).success()).isTrue();
      client.broadcast(tx);
      assertThat(client.pendingNonce()).isEqualTo(nonce.add(BigInteger.ONE));
    } finally {
      node.automine(true);
    }
  }

  @Test
  @DisplayName("a transaction whose nonce another mined transaction took is rejected for good")
  void nonceTakenByAnotherTransaction() {
    BigInteger nonce = client.pendingNonce();
    SignedAnchor first = client.sign(root("first of a nonce"), nonce);
    SignedAnchor second = client.sign(root("second of a nonce"), nonce);
    client.broadcast(first);
    ChainWait.receipt(client, first.txHash());

    assertThatThrownBy(() -> client.broadcast(second))
        .isInstanceOf(TransactionRejectedException.class)
        .hasMessageContaining(second.txHash()).hasMessageContaining("nonce");
    assertThat(client.isKnown(second.txHash())).isFalse();
  }

  @Test
  @DisplayName("a transaction priced under the block's base fee is refused for its fees (wait or "
      + "replace), not as a chain outage; its replacement at today's fees lands")
  void underpricedIsNotAnOutage() {
    BigInteger nonce = client.pendingNonce();
    SignedAnchor cheap = client.sign(root("signed before a base-fee spike"), nonce);
    node.call("anvil_setNextBlockBaseFeePerGas", new io.vertx.core.json.JsonArray().add("0x" + Long.toHexString(500_000_000_000L)));
    node.mine(1);
    assertThatThrownBy(() -> client.broadcast(cheap))
        .isInstanceOf(TransactionUnderpricedException.class)
        .hasMessageContaining(cheap.txHash()).hasMessageContaining("fees");
    SignedAnchor replacement = client.replacement(cheap.rawTransaction()).orElseThrow();
    assertThat(replacement.nonce()).isEqualTo(nonce);
    client.broadcast(replacement);
    assertThat(ChainWait.receipt(client, replacement.txHash()).success()).isTrue();
  }

  @Test
  @DisplayName("ten anchors with sequential nonces, sent concurrently in any order, all land")
  void concurrentAnchorsLand() throws Exception {
    BigInteger nonce = client.pendingNonce();
    List<byte[]> roots = new ArrayList<>();
    List<SignedAnchor> txs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      roots.add(root("concurrent batch " + i));
      txs.add(client.sign(roots.get(i), nonce.add(BigInteger.valueOf(i))));
    }
    List<SignedAnchor> shuffled = new ArrayList<>(txs);
    Collections.shuffle(shuffled);
    ExecutorService workers = Executors.newFixedThreadPool(10);
    try {
      CompletableFuture.allOf(shuffled.stream()
          .map(tx -> CompletableFuture.runAsync(() -> client.broadcast(tx), workers))
          .toArray(CompletableFuture[]::new)).get();
    } finally {
      workers.shutdown();
    }
    for (int i = 0; i < 10; i++) {
      assertThat(ChainWait.receipt(client, txs.get(i).txHash()).success()).isTrue();
      assertThat(client.transactionInput(txs.get(i).txHash())).isEqualTo(roots.get(i));
    }
    assertThat(client.pendingNonce()).isEqualTo(nonce.add(BigInteger.TEN));
  }

  @Test
  @DisplayName("a node serving another chain id is refused, naming both ids")
  void wrongChainIsRefused() {
    try (ChainClient live = new ChainClient(node.rpcUrl(), LIVE_CHAIN_ID, wallet)) {
      assertThatThrownBy(live::pendingNonce)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("84532").hasMessageContaining("8453 was expected");
      assertThatThrownBy(() -> live.sign(root("never sent"), BigInteger.ZERO))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  @DisplayName("a wallet without funds makes the chain unavailable, naming the wallet")
  void unfundedWallet() {
    Credentials empty = Wallets.loadOrCreate(dir.resolve("empty-wallet.key"));
    try (ChainClient poor = new ChainClient(node.rpcUrl(), TEST_CHAIN_ID, empty)) {
      SignedAnchor tx = poor.sign(root("unpaid batch"), poor.pendingNonce());
      assertThatThrownBy(() -> poor.broadcast(tx))
          .isInstanceOf(ChainUnavailableException.class)
          .hasMessageContaining(empty.getAddress());
    }
  }

  @Test
  @DisplayName("a root that is not 32 bytes is refused before anything is signed")
  void rootMustBe32Bytes() {
    assertThatThrownBy(() -> client.sign(new byte[31], BigInteger.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("an RPC URL that is not http(s) is refused before any call, without echoing it")
  void badUrl() {
    assertThatThrownBy(
        () -> new ChainClient("wss://node.example/v2/secret-key", LIVE_CHAIN_ID, wallet))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-key"));
  }

  static byte[] root(String batch) {
    return MerkleTree.sha256(batch.getBytes(StandardCharsets.UTF_8));
  }
}
