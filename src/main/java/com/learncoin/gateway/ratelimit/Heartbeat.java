package com.learncoin.gateway.ratelimit;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The live nodes, counted so that a node knows its share of a plan (plan ÷ live nodes): each
 * node writes its row every {@link #EVERY_MILLIS}, and counts the rows seen within
 * {@link #LIVE_SECONDS}. PostgreSQL's clock dates the rows, so nodes' clocks do not matter here.
 * Blocking JDBC: on the limiter's heartbeat thread only.
 */
final class Heartbeat {
  static final long EVERY_MILLIS = 2_000;
  static final int LIVE_SECONDS = 6;
  private static final String BEAT = """
      WITH beat AS (INSERT INTO gateway_nodes (node_id, seen_at) VALUES (?, now())
                    ON CONFLICT (node_id) DO UPDATE SET seen_at = now()),
           gone AS (DELETE FROM gateway_nodes
                     WHERE node_id <> ? AND seen_at < now() - interval '1 day')
      SELECT count(*) + 1 FROM gateway_nodes
       WHERE node_id <> ? AND seen_at > now() - make_interval(secs => ?)""";
  private static final String LEAVE = "DELETE FROM gateway_nodes WHERE node_id = ?";

  private final KeptConnection store;
  /** pid@host, and a random part: tests run several nodes in one process. */
  private final String nodeId = ManagementFactory.getRuntimeMXBean().getName() + "/"
      + UUID.randomUUID().toString().substring(0, 8);

  Heartbeat(KeptConnection store) {
    this.store = store;
  }

  /** Marks this node live; the live nodes, this one included. */
  int beat() throws SQLException {
    try (Connection c = store.getConnection(); PreparedStatement s = c.prepareStatement(BEAT)) {
      s.setString(1, nodeId);
      s.setString(2, nodeId);
      s.setString(3, nodeId);
      s.setInt(4, LIVE_SECONDS);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** On a clean stop: the others count one node fewer at once, not after {@link #LIVE_SECONDS}. */
  void leave() throws SQLException {
    try (Connection c = store.getConnection(); PreparedStatement s = c.prepareStatement(LEAVE)) {
      s.setString(1, nodeId);
      s.executeUpdate();
    }
  }
}
