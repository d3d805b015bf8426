package com.learncoin.gateway.issuance;

import com.learncoin.gateway.anchoring.AnchorReceipt;
import com.learncoin.gateway.anchoring.Networks;
import com.learncoin.gateway.anchoring.SignedAnchor;
import com.learncoin.gateway.anchoring.TransactionRejectedException;
import com.learncoin.gateway.anchoring.TransactionUnderpricedException;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.metrics.Metrics;
import com.learncoin.gateway.webhook.WebhookOutbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code anchoring}, in rounds: per network, one transaction carries the Merkle root over every
 * signed batch that is waiting, of any tenant ({@link RoundBuilder}). A round is stored on its
 * batches before it is sent, so after a crash the very same transaction is looked up or re-sent,
 * never a second one. One batch of the round follows it; once the transaction has its
 * confirmations on the current chain, every batch of the round is {@code anchored} at once.
 */
final class AnchoringStep {
  private static final Logger LOG = LoggerFactory.getLogger(AnchoringStep.class);
  /** A local or fast chain mines at once: look soon after sending, then at a steady pace. */
  private static final double FIRST_POLL_SECONDS = 0.05;
  private static final double POLL_SECONDS = 0.25;

  private final Issuance issuance;
  private final Metrics metrics;
  private final RoundBuilder rounds;
  private final RoundTransactions replacements;

  AnchoringStep(Issuance issuance, Metrics metrics) {
    this.issuance = issuance;
    this.metrics = metrics;
    this.rounds = new RoundBuilder(issuance);
    this.replacements = new RoundTransactions(issuance, metrics.rounds());
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

  /** Closes and sends the next round if none is in flight; otherwise the batch waits for it. */
  private Future<Void> send(Row batch, Networks.Network network) {
    String batchId = batch.getString("id");
    return rounds.build(batchId, network).compose(round -> {
      if (round.isEmpty()) {
        return waitForRound(batchId, network);
      }
      RoundBuilder.Round r = round.get();
      metrics.rounds().sent(network.name(), r.batches(), r.credentials(),
          Duration.between(r.oldestSigned(), OffsetDateTime.now()));
      LOG.atInfo().addKeyValue("network", network.name()).addKeyValue("tx_hash", r.signed().txHash())
          .addKeyValue("batches", r.batches()).addKeyValue("credentials", r.credentials())
          .log("Anchoring round of {} batches ({} credentials) on {}: root {}, transaction {} "
              + "(nonce {})", r.batches(), r.credentials(), network.name(), r.root(),
              r.signed().txHash(), r.signed().nonce());
      // The follower looks again soon; the others of the round (this batch, unless it follows)
      // after a while, and one that did not make it into the round waits for the next.
      Future<Void> self = batchId.equals(r.follower()) ? Future.succeededFuture()
          : r.batchIds().contains(batchId) ? pollLater(batchId, RoundBuilder.SAFETY_SECONDS)
          : waitForRound(batchId, network);
      return self.compose(v -> broadcast(r.follower(), network, r.signed(), List.of()));
    });
  }

  private Future<Void> follow(Row batch, Networks.Network network) {
    String batchId = batch.getString("id");
    String txHash = batch.getString("anchor_tx_hash");
    Long seenIn = batch.getLong("anchor_block");
    List<String> hashes = RoundTransactions.hashes(batch);
    Optional<AnchorReceipt> receipt = RoundTransactions.receipt(network, hashes);
    if (receipt.isEmpty()) {
      // Not (or no longer, after a reorg) in a block of the current chain. After a reorg the
      // clock for a replacement starts again: the transaction is back in the pool.
      Future<Void> dropped = seenIn == null ? Future.succeededFuture()
          : mined(txHash, null, null, network.client().blockNumber()).onSuccess(v -> {
            metrics.rounds().event(network.name(), "reorg");
            LOG.warn("Round {} on {}: its block {} left the chain (reorg); waiting for it again",
                txHash, network.name(), seenIn);
          }).mapEmpty();
      return dropped.compose(v -> seenIn != null ? pollAgain(batchId, txHash)
          : replacements.replaceIfDue(batch, network).compose(next -> {
            if (next.isPresent()) {
              return broadcast(batchId, network, next.get(), hashes);
            }
            if (!RoundTransactions.anyKnown(network, hashes)) {
              BigDecimal nonce = batch.getBigDecimal("anchor_nonce");
              return broadcast(batchId, network, new SignedAnchor(txHash,
                  batch.getString("anchor_raw_tx"), nonce.toBigInteger()), hashes);
            }
            return pollAgain(batchId, txHash);
          }));
    }
    long block = receipt.get().blockNumber();
    String minedTx = receipt.get().txHash();
    if (!receipt.get().success()) {
      LOG.warn("Round {} on {} was reverted; its batches join the next round", minedTx,
          network.name());
      return issuance.pool().preparedQuery(RoundSql.FORGET).execute(Tuple.of(txHash)).mapEmpty();
    }
    Future<Void> seen = seenIn != null && seenIn == block
        && minedTx.equals(batch.getString("anchor_mined_tx")) ? Future.succeededFuture()
        : mined(txHash, block, minedTx, null).compose(sentAt -> {
          sentAt.ifPresent(at -> metrics.rounds().mined(network.name(),
              Duration.between(at, OffsetDateTime.now())));
          return issuance.pool().preparedQuery(RoundSql.WAKE_WAITING)
              .execute(Tuple.of(network.chainId())).<Void>mapEmpty();
        });
    long confirmations = network.client().blockNumber() - block + 1;
    if (confirmations < issuance.confirmations()) {
      return seen.compose(v -> pollAgain(batchId, txHash));
    }
    return seen.compose(v -> anchorRound(txHash, network, block));
  }

  /**
   * Records the block and transaction that hold the round (NULLs: a reorg removed it, and the
   * replacement clock restarts at {@code head}); the round's sending time when it changed.
   */
  private Future<Optional<OffsetDateTime>> mined(String txHash, Long block, String minedTx,
      Long head) {
    return issuance.pool().preparedQuery(RoundSql.MINED)
        .execute(Tuple.of(txHash, block, minedTx, head))
        .map(rows -> rows.size() == 0 ? Optional.<OffsetDateTime>empty()
            : Optional.ofNullable(rows.iterator().next().getOffsetDateTime("anchor_sent_at")));
  }

  /** Every batch of the round, in one transaction: anchored, credentials active, webhooks. */
  private Future<Void> anchorRound(String txHash, Networks.Network network, long block) {
    return issuance.pool().withTransaction(tx -> tx.preparedQuery(RoundSql.ANCHORED)
        .execute(Tuple.of(txHash, network.chainId(), block))
        .compose(rows -> activate(tx, rows).map(rows)))
        .onSuccess(rows -> {
          if (rows.rowCount() == 0) {
            return; // another worker anchored the round first
          }
          // One line per batch, by its id: an operator follows a batch, not a round.
          rows.forEach(row -> {
            metrics.batchTransition("anchored");
            LOG.atInfo().addKeyValue("batch_id", row.getString("id")).addKeyValue("state", "anchored")
                .addKeyValue("network", network.name()).addKeyValue("block_number", block)
                .log("Batch {}: anchored in block {} of {} (round {})", row.getString("id"), block,
                    network.name(), txHash);
          });
          LOG.atInfo().addKeyValue("network", network.name()).addKeyValue("tx_hash", txHash)
              .addKeyValue("state", "anchored").addKeyValue("block_number", block)
              .addKeyValue("batches", rows.rowCount())
              .log("Round {}: {} batches anchored in block {} of {}", txHash, rows.rowCount(),
                  block, network.name());
        })
        .mapEmpty();
  }

  private static Future<Void> activate(SqlConnection tx, RowSet<Row> anchored) {
    List<Row> rows = new ArrayList<>();
    anchored.forEach(rows::add);
    String[] ids = rows.stream().map(row -> row.getString("id")).toArray(String[]::new);
    Future<Void> done = tx.preparedQuery(RoundSql.ACTIVATE).execute(Tuple.of(ids)).mapEmpty();
    for (Row row : rows) {
      done = done.compose(v -> WebhookOutbox.record(tx, row.getString("tenant_id"),
          row.getString("environment"), WebhookOutbox.BATCH_ANCHORED, new JsonObject()
              .put("batch_id", row.getString("id")).put("anchor", row.getJsonObject("anchor"))));
    }
    return done;
  }

  /**
   * Sends (or re-sends) the stored transaction. Fees too low for now: it waits (and is replaced
   * when it stays unmined). Only a transaction the node says can never be mined (its nonce taken)
   * is forgotten, so its batches join the next round at once; but not when the nonce was taken by
   * another transaction of the same round ({@code round}: a replaced one, mined after all), which
   * anchors it, nor when the round has moved on to a replacement meanwhile (nothing to forget).
   */
  private Future<Void> broadcast(String batchId, Networks.Network network, SignedAnchor signed,
      List<String> round) {
    try {
      network.client().broadcast(signed);
    } catch (TransactionUnderpricedException e) {
      return pollLater(batchId, POLL_SECONDS);
    } catch (TransactionRejectedException e) {
      if (RoundTransactions.anyKnown(network, round)) {
        return pollLater(batchId, FIRST_POLL_SECONDS);
      }
      return issuance.pool().preparedQuery(RoundSql.FORGET).execute(Tuple.of(signed.txHash()))
          .compose(forgotten -> {
            if (forgotten.rowCount() > 0) {
              LOG.warn("Round {} on {} can never be mined ({}); its {} batches join the next round",
                  signed.txHash(), network.name(), e.getMessage(), forgotten.rowCount());
            }
            return pollLater(batchId, FIRST_POLL_SECONDS);
          });
    }
    return pollLater(batchId, FIRST_POLL_SECONDS);
  }

  /**
   * A batch that waits for the next round: the oldest waiting looks again soon (and is woken when
   * the round in flight is mined), any other only now and then. It is in the next round anyway
   * (every waiting batch is), so a thousand waiting batches do not take the chain's lock twice a
   * second each.
   */
  private Future<Void> waitForRound(String batchId, Networks.Network network) {
    return issuance.pool().preparedQuery(RoundSql.OLDEST_WAITING)
        .execute(Tuple.of(network.chainId()))
        .compose(rows -> {
          String oldest = rows.iterator().next().getString("id");
          return pollLater(batchId, oldest == null || oldest.equals(batchId)
              ? RoundBuilder.WAIT_SECONDS : RoundBuilder.SAFETY_SECONDS);
        });
  }

  /** The round's follower looks again soon, any other batch of it only now and then. */
  private Future<Void> pollAgain(String batchId, String txHash) {
    return issuance.pool().preparedQuery(RoundSql.FOLLOWER).execute(Tuple.of(txHash))
        .compose(rows -> pollLater(batchId,
            batchId.equals(rows.iterator().next().getString("id")) ? POLL_SECONDS
                : RoundBuilder.SAFETY_SECONDS));
  }

  private Future<Void> pollLater(String batchId, double seconds) {
    return issuance.pool().preparedQuery(IssuanceSql.POLL_LATER)
        .execute(Tuple.of(batchId, seconds)).mapEmpty();
  }
}
