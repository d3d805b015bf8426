package com.learncoin.gateway.verification;

import com.learncoin.gateway.anchoring.AnchorReceipt;
import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.anchoring.Networks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The anchor check: Merkle inclusion of the credential's hash under the root that the receipt's
 * transaction carries, read from the chain (never from our database).
 */
final class AnchorCheck {
  private final Vertx vertx;
  private final Networks networks;

  AnchorCheck(Vertx vertx, Networks networks) {
    this.vertx = vertx;
    this.networks = networks;
  }

  Future<VerifyCheck> run(JsonObject credential, VerifyReceipt receipt) {
    if (receipt == null) {
      return Future.succeededFuture(VerifyCheck.skipped("no anchor receipt was given (send the "
          + "credential's \"anchor\" from GET /v1/credentials/{id} to check it)"));
    }
    byte[] leaf = MerkleTree.sha256(credential.encode().getBytes(StandardCharsets.UTF_8));
    if (receipt.leaf() != null && !MessageDigest.isEqual(leaf, receipt.leaf())) {
      return Future.succeededFuture(VerifyCheck.failed("the receipt's leaf "
          + MerkleTree.hex(receipt.leaf()) + " is not the SHA-256 of this credential ("
          + MerkleTree.hex(leaf) + "); send the credential exactly as GET /v1/credentials/{id} "
          + "returns it"));
    }
    Optional<Networks.Network> network = networks.byName().values().stream()
        .filter(n -> n.chainId() == receipt.chainId()).findFirst();
    if (network.isEmpty()) {
      return Future.succeededFuture(VerifyCheck.failed("chain id " + receipt.chainId()
          + " is not a chain this gateway reads"));
    }
    return vertx.executeBlocking(() -> onChain(network.get(), leaf, receipt), false);
  }

  private static VerifyCheck onChain(Networks.Network network, byte[] leaf, VerifyReceipt receipt) {
    String tx = receipt.txHash();
    byte[] input;
    Optional<AnchorReceipt> mined;
    try {
      input = network.client().transactionInput(tx);
      mined = network.client().receipt(tx);
    } catch (NoSuchElementException e) {
      return VerifyCheck.failed("transaction " + tx + " is not on chain " + receipt.chainId());
    } catch (RuntimeException e) {
      // ChainUnavailableException, a node on another chain id, or an answer we cannot read.
      return VerifyCheck.failed("the chain could not be read, so the anchor is unconfirmed (try "
          + "again later): " + e.getMessage());
    }
    if (mined.isEmpty()) {
      return VerifyCheck.failed("transaction " + tx + " is not mined yet");
    }
    if (!mined.get().success()) {
      return VerifyCheck.failed("transaction " + tx + " was reverted");
    }
    if (receipt.blockNumber() != null && receipt.blockNumber() != mined.get().blockNumber()) {
      return VerifyCheck.failed("transaction " + tx + " is in block " + mined.get().blockNumber()
          + ", not " + receipt.blockNumber());
    }
    if (input.length != 32) {
      return VerifyCheck.failed("transaction " + tx + " does not carry a 32-byte Merkle root");
    }
    String root = MerkleTree.hex(input);
    if (receipt.merkleRoot() != null && !MessageDigest.isEqual(input, receipt.merkleRoot())) {
      return VerifyCheck.failed("the receipt's merkle_root is not the root " + root
          + " carried by transaction " + tx);
    }
    return MerkleTree.verify(leaf, receipt.path(), input)
        ? VerifyCheck.passed("the credential's hash " + MerkleTree.hex(leaf) + " is under root "
            + root + " of transaction " + tx + " (block " + mined.get().blockNumber() + ")")
        : VerifyCheck.failed("the path does not lead from the credential's hash "
            + MerkleTree.hex(leaf) + " to the root " + root + " of transaction " + tx);
  }
}
