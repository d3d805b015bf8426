package com.learncoin.gateway.issuance;

import com.learncoin.gateway.anchoring.AnchorReceipt;
import com.learncoin.gateway.anchoring.ChainUnavailableException;
import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.anchoring.Networks;
import com.learncoin.gateway.anchoring.SignedAnchor;
import com.learncoin.gateway.anchoring.TransactionRejectedException;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.metrics.Metrics;
import com.learncoin.gateway.webhook.WebhookOutbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code anchoring}: one transaction per batch carries its Merkle root. The transaction is signed
 * and stored before it is broadcast, so after a crash it is looked up (or the very same bytes are
 * re-sent), never replaced by a second one. Once it has enough confirmations the batch is
 * {@code anchored}.
 */
final class AnchoringStep {
  private static final Logger LOG = LoggerFactory.getLogger(AnchoringStep.class);
  /** A local or fast chain mines at once: look soon after sending, then at a steady pace. */
  private static final double FIRST_POLL_SECONDS = 0.05;
  private static final double POLL_SECONDS = 0.25;

  private final Issuance issuance;
  private final Metrics metrics;

  AnchoringStep(Issuance issuance, Metrics metrics) {
    this.issuance = issuance;
    this.metrics = metrics;
  }

  /** Runs on the worker verticle's thread; chain calls block. */
  Future<Void> run(Row batch) {
    Networks.Network network = issuance.networks().get(batch.getString("network"));
    String txHash = batch.getString("anchor_tx_hash");
    long started = System.nanoTime();
    Future<Void> step = txHash == null ? send(batch, network) : follow(batch, network);
    return step
        .onComplete(r -> metrics.anchoringStep(network.name(), System.nanoTime() - started))
        .onSuccess(v -> {
          if (network.breaker().success()) {
            issuance.resumeWaiting(ApiError.ANCHORING_CHAIN_UNAVAILABLE, network.name());
          }
        });
  }

  private Future<Void> send(Row batch, Networks.Network network) {
    String batchId = batch.getString("id");
    byte[] root = MerkleTree.unhex(batch.getString("merkle_root"));
    // Nonces: under a lock per chain, above both the node's pending count and every
    // transaction already stored (one may be stored but not yet broadcast after a crash).
    return issuance.pool().withTransaction(tx -> tx.preparedQuery(IssuanceSql.LOCK_CHAIN)
        .execute(Tuple.of(network.chainId()))
        .compose(v -> tx.preparedQuery(IssuanceSql.UNSENT).execute(Tuple.of(batchId)))
        .compose(unsent -> unsent.size() == 0 ? Future.succeededFuture(null) : sign(tx, batchId,
            network, root)))
        .compose(signed -> signed == null ? pollLater(batchId) : broadcast(batchId, network, signed));
  }

  /** Under the chain's lock: the next nonce, the signed transaction, stored before it is sent. */
  private Future<SignedAnchor> sign(SqlConnection tx, String batchId, Networks.Network network,
      byte[] root) {
    return tx.preparedQuery(IssuanceSql.MAX_NONCE)
        .execute(Tuple.of(network.chainId(), network.client().address()))
        .compose(rows -> {
          BigDecimal stored = rows.iterator().next().getBigDecimal("nonce");
          BigInteger nonce = network.client().pendingNonce();
          if (stored != null && stored.toBigInteger().compareTo(nonce) >= 0) {
            nonce = stored.toBigInteger().add(BigInteger.ONE);
          }
          SignedAnchor signed = network.client().sign(root, nonce);
          return tx.preparedQuery(IssuanceSql.STORE_TX).execute(Tuple.of(batchId, signed.txHash(),
              signed.rawTransaction(), new BigDecimal(signed.nonce()), network.client().address()))
              .map(signed);
        });
  }

  private Future<Void> follow(Row batch, Networks.Network network) {
    String batchId = batch.getString("id");
    String txHash = batch.getString("anchor_tx_hash");
    Optional<AnchorReceipt> receipt = network.client().receipt(txHash);
    if (receipt.isEmpty()) {
      if (!network.client().isKnown(txHash)) {
        BigDecimal nonce = batch.getBigDecimal("anchor_nonce");
        return broadcast(batchId, network, new SignedAnchor(txHash,
            batch.getString("anchor_raw_tx"), nonce.toBigInteger()));
      }
      return pollLater(batchId);
    }
    if (!receipt.get().success()) {
      JsonObject lastError = FailedBatch.error(ApiError.ANCHORING_CHAIN_UNAVAILABLE,
          "The anchoring transaction " + txHash + " was reverted.");
      return FailedBatch.fail(issuance.pool(), metrics, batch, lastError)
          .onSuccess(v -> LOG.atWarn().addKeyValue("batch_id", batchId)
              .addKeyValue("state", "failed").addKeyValue("tx_hash", txHash)
              .log("Batch {}: anchoring transaction {} reverted", batchId, txHash));
    }
    long confirmations = network.client().blockNumber() - receipt.get().blockNumber() + 1;
    if (confirmations < issuance.confirmations()) {
      return pollLater(batchId);
    }
    JsonObject anchor = new JsonObject()
        .put("chain_id", network.chainId())
        .put("tx_hash", txHash)
        .put("block_number", receipt.get().blockNumber())
        .put("merkle_root", batch.getString("merkle_root"));
    return issuance.pool().withTransaction(tx -> tx.preparedQuery(IssuanceSql.ANCHORED)
        .execute(Tuple.of(batchId, anchor))
        .compose(v -> tx.preparedQuery(IssuanceSql.ACTIVATE).execute(Tuple.of(batchId)))
        .compose(v -> WebhookOutbox.record(tx, batch.getString("tenant_id"),
            batch.getString("environment"), WebhookOutbox.BATCH_ANCHORED,
            new JsonObject().put("batch_id", batchId).put("anchor", anchor))))
        .onSuccess(v -> {
          metrics.batchTransition("anchored");
          LOG.atInfo().addKeyValue("batch_id", batchId).addKeyValue("state", "anchored")
              .addKeyValue("network", network.name())
              .addKeyValue("block_number", receipt.get().blockNumber())
              .log("Batch {}: anchored in block {} of {}", batchId, receipt.get().blockNumber(),
                  network.name());
        })
        .mapEmpty();
  }

  /**
   * Sends (or re-sends) the stored transaction. Only a transaction the node says can never be
   * mined (its nonce taken by another) is forgotten, so the next step signs the root anew.
   */
  private Future<Void> broadcast(String batchId, Networks.Network network, SignedAnchor signed) {
    try {
      network.client().broadcast(signed);
      LOG.atInfo().addKeyValue("batch_id", batchId).addKeyValue("state", "anchoring")
          .addKeyValue("tx_hash", signed.txHash()).addKeyValue("network", network.name())
          .log("Batch {}: anchoring transaction {} sent on {} (nonce {})", batchId,
              signed.txHash(), network.name(), signed.nonce());
      return pollLater(batchId, FIRST_POLL_SECONDS);
    } catch (TransactionRejectedException e) {
      return issuance.pool().preparedQuery(IssuanceSql.FORGET_TX)
          .execute(Tuple.of(batchId, signed.txHash()))
          .compose(v -> Future.failedFuture(new ChainUnavailableException(
              "anchoring transaction " + signed.txHash() + " can never be mined (" + e.getMessage()
                  + "); signing it again", e)));
    }
  }

  private Future<Void> pollLater(String batchId) {
    return pollLater(batchId, POLL_SECONDS);
  }

  private Future<Void> pollLater(String batchId, double seconds) {
    return issuance.pool().preparedQuery(IssuanceSql.POLL_LATER)
        .execute(Tuple.of(batchId, seconds)).mapEmpty();
  }
}
