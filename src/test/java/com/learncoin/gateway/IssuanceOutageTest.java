package com.learncoin.gateway;

import static com.learncoin.gateway.anchoring.Networks.TEST_CHAIN_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.anchoring.ChainClient;
import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.anchoring.KmsWallet;
import com.learncoin.gateway.anchoring.LocalChainNode;
import com.learncoin.gateway.anchoring.Wallets;
import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.credential.DidKey;
import com.learncoin.gateway.signing.KmsKeyEncryption;
import com.learncoin.gateway.signing.LocalEd25519Signer;
import com.learncoin.gateway.signing.LocalKeyVault;
import com.learncoin.gateway.signing.Signers;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.FakeKms;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestChains;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Batches wait out signer and chain outages and complete exactly once")
class IssuanceOutageTest {

  @Test
  @DisplayName("chain down: retries with last_error, 422 with Location once the breaker opens, "
      + "then both batches anchor with one transaction each")
  void chainOutage(Vertx vertx) throws Exception {
    Path dataDir = Files.createTempDirectory("learncoin-outage");
    int port = freePort();
    Path state = dataDir.resolve("chain-state.json");
    LocalChainNode node = LocalChainNode.start(TestChains.anvil(), TEST_CHAIN_ID, state, port);
    String wallet = Wallets.loadOrCreate(dataDir.resolve(Chains.WALLET_KEY_FILE)).getAddress();
    node.fund(wallet);
    TestGateway app = TestGateway.start(vertx, Map.of("LEARNCOIN_DATA_DIR", dataDir.toString(),
        "LEARNCOIN_CHAIN_TEST_RPC", node.rpcUrl()));
    try {
      String key = app.newTestKey("industry");
      node.stop();
      String first = app.post("/v1/batches", key, Batches.of(3).encode()).assertStatus(202)
          .json().getString("id");
      JsonObject waiting = awaitLastError(app, key, first, "anchoring_chain_unavailable");
      assertThat(waiting.getString("status")).isEqualTo("anchoring");
      awaitNotReady(app, "chain:base-sepolia");

      Reply refused = app.post("/v1/batches", key, Batches.of(2).encode());
      JsonObject error = refused.assertError(422, "anchoring_chain_unavailable");
      String second = refused.header("Location").substring("/v1/batches/".length());
      assertThat(error.getString("message")).contains(second);
      assertThat(app.get("/v1/batches/" + second, key).assertStatus(200).json().getString("status"))
          .isIn("queued", "signing", "anchoring");

      node = LocalChainNode.start(TestChains.anvil(), TEST_CHAIN_ID, state, port);
      String firstTx = Batches.awaitStatus(app, key, first, "anchored").getJsonObject("anchor")
          .getString("tx_hash");
      String secondTx = Batches.awaitStatus(app, key, second, "anchored").getJsonObject("anchor")
          .getString("tx_hash");
      // Both waited through the outage, so they usually share the round sent when it ends: the
      // wallet sent one transaction per round, and none for the attempts during the outage.
      long rounds = firstTx.equals(secondTx) ? 1 : 2;
      try (ChainClient chain = new ChainClient(node.rpcUrl(), TEST_CHAIN_ID,
          Wallets.loadOrCreate(dataDir.resolve(Chains.WALLET_KEY_FILE)))) {
        assertThat(chain.pendingNonce()).isEqualTo(BigInteger.valueOf(rounds));
      }
    } finally {
      app.close();
      node.close();
    }
  }

  @Test
  @DisplayName("a gateway stopped between signing and anchoring resumes after restart and sends "
      + "one transaction")
  void restartMidBatch(Vertx vertx) throws Exception {
    Path dataDir = Files.createTempDirectory("learncoin-restart");
    int port = freePort();
    Path state = dataDir.resolve("chain-state.json");
    LocalChainNode node = LocalChainNode.start(TestChains.anvil(), TEST_CHAIN_ID, state, port);
    node.fund(Wallets.loadOrCreate(dataDir.resolve(Chains.WALLET_KEY_FILE)).getAddress());
    TestGateway app = TestGateway.start(vertx, Map.of("LEARNCOIN_DATA_DIR", dataDir.toString(),
        "LEARNCOIN_CHAIN_TEST_RPC", node.rpcUrl()));
    try {
      String key = app.newTestKey("industry");
      node.stop();
      String batchId = app.post("/v1/batches", key, Batches.of(20).encode()).json().getString("id");
      awaitLastError(app, key, batchId, "anchoring_chain_unavailable");
      app.close();
      assertThat(app.queryLong("SELECT count(*) FROM credentials WHERE batch_id = ? AND vc IS NOT NULL",
          batchId)).isEqualTo(20);

      node = LocalChainNode.start(TestChains.anvil(), TEST_CHAIN_ID, state, port);
      app = app.restart();
      JsonObject batch = Batches.awaitStatus(app, key, batchId, "anchored");
      assertThat(batch.getValue("last_error")).isNull();
      try (ChainClient chain = new ChainClient(node.rpcUrl(), TEST_CHAIN_ID,
          Wallets.loadOrCreate(dataDir.resolve(Chains.WALLET_KEY_FILE)))) {
        assertThat(chain.pendingNonce()).isEqualTo(BigInteger.ONE);
      }
    } finally {
      app.close();
      node.close();
    }
  }

  @Test
  @DisplayName("KMS UNAVAILABLE: 422 signing_key_unavailable on intake while the breaker is open, "
      + "and the batch completes, KMS-signed, once KMS is back")
  void kmsOutage(Vertx vertx) {
    try (FakeKms kms = new FakeKms()) {
      TestGateway app = TestGateway.start(vertx,
          Map.of("LEARNCOIN_SIGNER", kms.keyVersionName()),
          new Gateway.Keys(config -> Signers.kmsSigning(kms.client(), kms.keyVersionName()),
              Chains::wallet));
      try {
        String key = app.newTestKey("industry");
        kms.mode(FakeKms.Mode.UNAVAILABLE);
        String first = app.post("/v1/batches", key, Batches.of(2).encode()).assertStatus(202)
            .json().getString("id");
        awaitLastError(app, key, first, "signing_key_unavailable");
        awaitNotReady(app, "signer");
        Reply refused = app.post("/v1/batches", key, Batches.of(1).encode());
        refused.assertError(422, "signing_key_unavailable");
        String second = refused.header("Location").substring("/v1/batches/".length());

        kms.mode(FakeKms.Mode.DEADLINE_EXCEEDED);
        app.post("/v1/batches", key, Batches.of(1).encode()).assertError(422, "signing_key_unavailable");
        kms.mode(FakeKms.Mode.OK);
        Batches.awaitStatus(app, key, first, "anchored");
        Batches.awaitStatus(app, key, second, "anchored");
        JsonObject vc = Batches.awaitCredential(app, key, second).getJsonObject("credential");
        // Signed by the tenant's own KMS key (CreateCryptoKey at tenant creation), not the gateway's.
        byte[] tenantKey = DidKey.publicKeyOf(vc.getJsonObject("issuer").getString("id"));
        assertThat(kms.createdKeys()).isEqualTo(2);
        assertThat(tenantKey).isNotEqualTo(kms.publicKey());
        assertThat(new DataIntegrityProofs().verify(vc, tenantKey).verified()).isTrue();
        app.send("GET", "/health/ready", null).assertStatus(200);
      } finally {
        app.close();
      }
    }
  }

  @Test
  @DisplayName("local signer, seeds sealed by KMS: tenant keys open through KMS Decrypt and sign")
  void kmsSealedSeeds(Vertx vertx) throws Exception {
    try (FakeKms kms = new FakeKms()) {
      TestGateway app = TestGateway.start(vertx, Map.of(),
          new Gateway.Keys(config -> new Signers.Signing(
              LocalEd25519Signer.loadOrCreate(config.dataDir().resolve("signing-key.ed25519")),
              new LocalKeyVault(new KmsKeyEncryption(kms.client(), kms.symmetricKeyName()))),
              Chains::wallet));
      try {
        String key = app.newTestKey("industry");
        String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202)
            .json().getString("id");
        Batches.awaitStatus(app, key, batchId, "anchored");
        JsonObject vc = Batches.awaitCredential(app, key, batchId).getJsonObject("credential");
        byte[] tenantKey = DidKey.publicKeyOf(vc.getJsonObject("issuer").getString("id"));
        assertThat(new DataIntegrityProofs().verify(vc, tenantKey).verified()).isTrue();
        // Sealed by KMS: the data dir's key-encryption key was never made.
        assertThat(Path.of(app.gateway().services().config().dataDir().toString(),
            "key-encryption.key")).doesNotExist();
      } finally {
        app.close();
      }
    }
  }

  @Test
  @DisplayName("KMS not answering at all: each call ends at the client's deadline, the breaker "
      + "opens, intake answers 422 signing_key_unavailable, and the batches complete afterwards")
  void kmsHang(Vertx vertx) {
    try (FakeKms kms = new FakeKms()) {
      TestGateway app = TestGateway.start(vertx,
          Map.of("LEARNCOIN_SIGNER", kms.keyVersionName()),
          new Gateway.Keys(config -> Signers.kmsSigning(kms.client(), kms.keyVersionName()),
              Chains::wallet));
      try {
        String key = app.newTestKey("industry");
        kms.mode(FakeKms.Mode.HANG);
        String first = app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202)
            .json().getString("id");
        awaitLastError(app, key, first, "signing_key_unavailable");
        awaitNotReady(app, "signer");
        Reply refused = app.post("/v1/batches", key, Batches.of(1).encode());
        refused.assertError(422, "signing_key_unavailable");
        String second = refused.header("Location").substring("/v1/batches/".length());
        assertThat(app.get("/health/live", key).status()).isEqualTo(200);

        kms.mode(FakeKms.Mode.OK);
        Batches.awaitStatus(app, key, first, "anchored");
        Batches.awaitStatus(app, key, second, "anchored");
        app.send("GET", "/health/ready", null).assertStatus(200);
      } finally {
        app.close();
      }
    }
  }

  @Test
  @DisplayName("with a KMS wallet, batches are anchored by transactions from the KMS key's address")
  void kmsWallet(Vertx vertx) {
    try (FakeKms kms = new FakeKms()) {
      KmsWallet wallet = new KmsWallet(kms.client(), kms.secp256k1KeyVersionName());
      TestChains.fund(wallet.address());
      TestGateway app = TestGateway.start(vertx,
          Map.of("LEARNCOIN_WALLET", kms.secp256k1KeyVersionName()),
          new Gateway.Keys(Signers::fromConfig, config -> wallet));
      try {
        String key = app.newTestKey("industry");
        String batchId = app.post("/v1/batches", key, Batches.of(3).encode()).json().getString("id");
        Batches.awaitStatus(app, key, batchId, "anchored");
        try (ChainClient chain = new ChainClient(TestChains.testRpc(), TEST_CHAIN_ID, wallet)) {
          assertThat(chain.pendingNonce()).isEqualTo(BigInteger.ONE);
        }
      } finally {
        app.close();
      }
    }
  }

  private static JsonObject awaitLastError(TestGateway app, String key, String batchId, String code) {
    return Eventually.await("last_error " + code + " on " + batchId, Duration.ofSeconds(60), () -> {
      JsonObject batch = app.get("/v1/batches/" + batchId, key).assertStatus(200).json();
      JsonObject error = batch.getJsonObject("last_error");
      return error != null && code.equals(error.getString("code")) ? Optional.of(batch)
          : Optional.empty();
    });
  }

  private static void awaitNotReady(TestGateway app, String check) {
    Reply ready = Eventually.await("readiness reporting " + check + " down", Duration.ofSeconds(60),
        () -> Optional.of(app.send("GET", "/health/ready", null)).filter(r -> r.status() == 503));
    assertThat(ready.assertError(503, "service_unavailable").getString("message")).contains(check);
  }



  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
