package com.learncoin.gateway.issuance;

import com.learncoin.gateway.anchoring.AnchorReceipt;
import com.learncoin.gateway.anchoring.Networks;
import com.learncoin.gateway.anchoring.SignedAnchor;
import com.learncoin.gateway.metrics.RoundMetrics;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A round's transactions: the current one and those it replaced. A transaction not mined
 * {@code replaceAfterBlocks} blocks after it was signed (a base-fee spike, a tip too low) is
 * replaced with the same nonce and data and higher fees; the replacement is stored, the old hash
 * kept, before it is sent. They share a nonce, so at most one of them is ever mined, and whichever
 * is anchors the round. Runs on the worker's thread; chain calls block.
 */
final class RoundTransactions {
  private static final Logger LOG = LoggerFactory.getLogger(RoundTransactions.class);

  private final Issuance issuance;
  private final RoundMetrics metrics;
  /** The last transaction logged as stuck at the fee ceiling: one line per transaction. */
  private volatile String atCeiling;

  RoundTransactions(Issuance issuance, RoundMetrics metrics) {
    this.issuance = issuance;
    this.metrics = metrics;
  }

  /** Every transaction of the round held by {@code batch}, the current one first. */
  static List<String> hashes(Row batch) {
    List<String> all = new ArrayList<>();
    all.add(batch.getString("anchor_tx_hash"));
    String[] replaced = batch.getArrayOfStrings("anchor_replaced");
    for (int i = replaced == null ? -1 : replaced.length - 1; i >= 0; i--) {
      all.add(replaced[i]);
    }
    return all;
  }

  /** The receipt of whichever of the round's transactions is in a block of the current chain. */
  static Optional<AnchorReceipt> receipt(Networks.Network network, List<String> hashes) {
    for (String hash : hashes) {
      Optional<AnchorReceipt> receipt = network.client().receipt(hash);
      if (receipt.isPresent()) {
        return receipt;
      }
    }
    return Optional.empty();
  }

  /** True when the node holds any of them, pending or mined. */
  static boolean anyKnown(Networks.Network network, List<String> hashes) {
    return hashes.stream().anyMatch(hash -> network.client().isKnown(hash));
  }

  /**
   * The replacement of the round's current transaction, stored; empty when it is not yet due, when
   * its fees are at the ceiling, or when another node replaced it first.
   */
  Future<Optional<SignedAnchor>> replaceIfDue(Row batch, Networks.Network network) {
    Long sentBlock = batch.getLong("anchor_sent_block");
    long head = network.client().blockNumber();
    if (sentBlock == null || head - sentBlock < issuance.replaceAfterBlocks()) {
      return Future.succeededFuture(Optional.empty());
    }
    String stuck = batch.getString("anchor_tx_hash");
    Optional<SignedAnchor> next = network.client().replacement(batch.getString("anchor_raw_tx"));
    if (next.isEmpty()) {
      if (!stuck.equals(atCeiling)) {
        atCeiling = stuck;
        LOG.warn("Round {} on {}: not mined after {} blocks, but its fees are at the ceiling "
            + "(LEARNCOIN_MAX_FEE_GWEI); it waits for the base fee to come down", stuck,
            network.name(), head - sentBlock);
      }
      return Future.succeededFuture(Optional.empty());
    }
    SignedAnchor replacement = next.get();
    return issuance.pool().preparedQuery(RoundSql.REPLACE).execute(Tuple.of(stuck,
            replacement.txHash(), replacement.rawTransaction(), head))
        .map(rows -> {
          if (rows.rowCount() == 0) {
            return Optional.<SignedAnchor>empty();
          }
          metrics.event(network.name(), "replaced");
          LOG.atWarn().addKeyValue("network", network.name())
              .addKeyValue("tx_hash", replacement.txHash()).addKeyValue("replaced", stuck)
              .log("Round {} on {}: not mined after {} blocks, replaced by {} (nonce {}, higher "
                  + "fees)", stuck, network.name(), head - sentBlock, replacement.txHash(),
                  replacement.nonce());
          return Optional.of(replacement);
        });
  }
}
