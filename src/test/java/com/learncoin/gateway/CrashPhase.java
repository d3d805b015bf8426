package com.learncoin.gateway;

import com.learncoin.gateway.support.ChainAudit;
import com.learncoin.gateway.support.CrashClients;
import com.learncoin.gateway.support.RpcHoldingProxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Where in a batch's life CrashRecoveryIT kills the gateway, and how it sees, from the outside
 * (the database, the chain node, its own clients), that the gateway is there right now.
 */
enum CrashPhase {
  INTAKE("POST /v1/batches in flight"),
  SIGNING("a batch being signed (claimed as signing by this incarnation)"),
  SIGNED_UNSENT("a batch signed, root stored, no anchoring round yet"),
  ROUND_UNSTORED("a round being built under the chain's lock: tree made, transaction being "
      + "signed, nothing stored"),
  TX_UNBROADCAST("a round's transaction signed and stored, on its way to the node"),
  REPLACEMENT_UNSENT("a stuck round transaction replaced: the replacement stored, on its way to "
      + "the node"),
  REPLACED_MINED("a replaced transaction mined after all, its replacement still on its way"),
  SENT_UNMINED("an anchoring transaction sent, waiting in the node's pool"),
  MINED_UNSTORED("an anchoring transaction mined, its receipt not stored yet"),
  RANDOM("a random moment, 0-3 s after start-up");

  final String description;

  CrashPhase(String description) {
    this.description = description;
  }

  /** Looks at the database, the chain and the clients for each phase's condition. */
  static final class Probe {
    private final Connection db;
    private final ChainAudit chain;
    private final CrashClients clients;
    private final RpcHoldingProxy rpc;

    Probe(Connection db, ChainAudit chain, CrashClients clients, RpcHoldingProxy rpc) {
      this.db = db;
      this.chain = chain;
      this.clients = clients;
      this.rpc = rpc;
    }

    /** The database's clock now: claims after it are this incarnation's. */
    Timestamp now() {
      try (PreparedStatement s = db.prepareStatement("SELECT clock_timestamp()");
           ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getTimestamp(1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    /** True when the gateway is in {@code phase} (RANDOM always is). */
    boolean holds(CrashPhase phase, Timestamp startedAt) {
      return switch (phase) {
        case INTAKE -> clients.inFlight() > 0;
        // A claim leases for 30 s: a lease set after start-up is this process working on it, not
        // one left behind by the incarnation killed before.
        case SIGNING -> count("SELECT count(*) FROM batches WHERE status = 'signing' "
            + "AND leased_until - interval '30 seconds' >= ?", startedAt) > 0;
        case SIGNED_UNSENT -> count("SELECT count(*) FROM batches WHERE status = 'anchoring' "
            + "AND anchor_tx_hash IS NULL", null) > 0;
        // The proxy holds eth_sendRawTransaction: stored in the database, unknown to the node.
        case TX_UNBROADCAST -> rpc.held() > 0 && !unbroadcast().isEmpty();
        // The proxy holds eth_estimateGas, which signing a round calls inside its transaction.
        case ROUND_UNSTORED -> rpc.held() > 0;
        case REPLACEMENT_UNSENT -> rpc.held() > 0 && !replaced().isEmpty()
            && !unbroadcast().isEmpty();
        case REPLACED_MINED -> replaced().stream().anyMatch(chain::mined);
        case SENT_UNMINED -> chain.pending() > 0 && sentTransactions().stream()
            .anyMatch(tx -> !chain.mined(tx));
        case MINED_UNSTORED -> sentTransactions().stream().anyMatch(chain::mined);
        case RANDOM -> true;
      };
    }

    /** Stored anchoring transactions the node does not know (yet). */
    List<String> unbroadcast() {
      return sentTransactions().stream().filter(tx -> !chain.known(tx)).toList();
    }

    /** Anchoring transactions of batches still anchoring (stored, maybe sent or mined). */
    private List<String> sentTransactions() {
      return hashes("SELECT anchor_tx_hash FROM batches "
          + "WHERE status = 'anchoring' AND anchor_tx_hash IS NOT NULL");
    }

    /** Transactions replaced in rounds still anchoring (any may still be mined). */
    List<String> replaced() {
      return hashes("SELECT DISTINCT unnest(anchor_replaced) FROM batches "
          + "WHERE status = 'anchoring'");
    }

    /** The signed bytes of the transactions rounds still anchoring are waiting for. */
    List<String> rawTransactions() {
      return hashes("SELECT DISTINCT anchor_raw_tx FROM batches "
          + "WHERE status = 'anchoring' AND anchor_raw_tx IS NOT NULL");
    }

    private List<String> hashes(String sql) {
      List<String> hashes = new ArrayList<>();
      try (PreparedStatement s = db.prepareStatement(sql);
           ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          hashes.add(rs.getString(1));
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return hashes;
    }

    private long count(String sql, Timestamp param) {
      try (PreparedStatement s = db.prepareStatement(sql)) {
        if (param != null) {
          s.setTimestamp(1, param);
        }
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
