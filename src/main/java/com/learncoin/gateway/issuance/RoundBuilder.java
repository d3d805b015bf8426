package com.learncoin.gateway.issuance;

import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.anchoring.Networks;
import com.learncoin.gateway.anchoring.SignedAnchor;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Closes a network's next anchoring round: under the chain's advisory lock (one round builder at a
 * time over every node), when no round of this wallet is still unmined and fewer than
 * {@code maxPendingTx} are unconfirmed, every signed batch waiting (oldest first, at most
 * {@code maxRoundBatches}) becomes a leaf of the round's tree, the transaction carrying its root
 * is signed with the next nonce, and all of it is stored on the batches, in one database
 * transaction, before anything is sent. Under load one transaction is in flight per network and
 * each carries everything signed since the previous one was mined.
 */
final class RoundBuilder {
  /**
   * The oldest batch waiting for a round looks again after this (a mined round wakes it sooner);
   * the others, and the batches of a round but its follower, only after {@link #SAFETY_SECONDS}.
   */
  static final double WAIT_SECONDS = 2.0;
  static final double SAFETY_SECONDS = 30.0;

  /** A stored round: its transaction, size and the batch that follows it. */
  record Round(SignedAnchor signed, String root, List<String> batchIds, long credentials,
      OffsetDateTime oldestSigned) {
    int batches() {
      return batchIds.size();
    }

    String follower() {
      return batchIds.get(0);
    }
  }

  private final Issuance issuance;

  RoundBuilder(Issuance issuance) {
    this.issuance = issuance;
  }

  /** The round now stored, or empty when one is in flight or nothing waits. */
  Future<Optional<Round>> build(String batchId, Networks.Network network) {
    String from = network.client().address();
    return issuance.pool().withTransaction(tx -> tx.preparedQuery(IssuanceSql.LOCK_CHAIN)
        .execute(Tuple.of(network.chainId()))
        .compose(v -> tx.preparedQuery(RoundSql.IN_FLIGHT).execute(Tuple.of(network.chainId(), from)))
        .compose(rows -> {
          Row inFlight = rows.iterator().next();
          if (inFlight.getBoolean("unmined") || inFlight.getLong("rounds") >= issuance.maxPendingTx()) {
            return Future.succeededFuture(Optional.<Round>empty());
          }
          return tx.preparedQuery(RoundSql.WAITING)
              .execute(Tuple.of(network.chainId(), issuance.maxRoundBatches(), batchId))
              .compose(waiting -> waiting.size() == 0 ? Future.succeededFuture(Optional.empty())
                  : store(tx, network, from, waiting).map(Optional::of));
        }));
  }

  private Future<Round> store(SqlConnection tx, Networks.Network network, String from,
      RowSet<Row> waiting) {
    List<String> ids = new ArrayList<>();
    List<byte[]> roots = new ArrayList<>();
    long credentials = 0;
    OffsetDateTime oldest = null;
    for (Row row : waiting) {
      OffsetDateTime signedAt = row.getOffsetDateTime("updated_at");
      oldest = oldest == null || signedAt.isBefore(oldest) ? signedAt : oldest;
      ids.add(row.getString("id"));
      roots.add(MerkleTree.unhex(row.getString("merkle_root")));
      credentials += row.getInteger("credentials");
    }
    MerkleTree tree = MerkleTree.of(roots);
    String[] paths = new String[ids.size()];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = tree.path(i).encode();
    }
    long total = credentials;
    OffsetDateTime waitedSince = oldest;
    return tx.preparedQuery(RoundSql.MAX_NONCE).execute(Tuple.of(network.chainId(), from))
        .compose(rows -> {
          // Above both the node's pending count and every transaction already stored (one may be
          // stored but not yet broadcast after a crash).
          BigDecimal stored = rows.iterator().next().getBigDecimal("nonce");
          BigInteger nonce = network.client().pendingNonce();
          if (stored != null && stored.toBigInteger().compareTo(nonce) >= 0) {
            nonce = stored.toBigInteger().add(BigInteger.ONE);
          }
          SignedAnchor signed = network.client().sign(tree.root(), nonce);
          String root = MerkleTree.hex(tree.root());
          return tx.preparedQuery(RoundSql.JOIN).execute(Tuple.from(new Object[] {
                  ids.toArray(String[]::new), ids.get(0), signed.txHash(), signed.rawTransaction(),
                  new BigDecimal(signed.nonce()), from, root, ids.size(), paths,
                  network.client().blockNumber()}))
              .map(v -> new Round(signed, root, ids, total, waitedSince));
        });
  }
}
