package com.learncoin.gateway.issuance;

/**
 * Anchoring rounds: the batches of a round share its stored transaction (the anchor_* columns),
 * its root and their paths to it. Everything here runs under the chain's advisory lock or keys on
 * the round's transaction hash.
 */
final class RoundSql {
  /** Rounds of this chain and sender not yet confirmed: how many, and whether one is unmined. */
  static final String IN_FLIGHT = """
      SELECT count(DISTINCT anchor_tx_hash) AS rounds,
             coalesce(bool_or(anchor_block IS NULL), false) AS unmined
        FROM batches
       WHERE chain_id = $1 AND anchor_from = $2 AND status = 'anchoring'
         AND anchor_tx_hash IS NOT NULL""";
  /**
   * Signed batches waiting for a round, oldest first, at most a round's worth; not one another
   * worker is looking at right now ($3 is the builder's own): that worker would find it in a round
   * it did not build and schedule it as a waiting batch, not as the round's follower.
   */
  static final String WAITING = """
      SELECT id, merkle_root, count AS credentials, updated_at FROM batches
       WHERE chain_id = $1 AND status = 'anchoring' AND anchor_tx_hash IS NULL
         AND (id = $3 OR leased_until IS NULL OR leased_until < now())
       ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED""";
  /** The next nonce: above every transaction stored for this chain and sender. */
  static final String MAX_NONCE = """
      SELECT max(anchor_nonce) AS nonce FROM batches WHERE chain_id = $1 AND anchor_from = $2""";
  /**
   * The round, stored on its batches before it is sent. The batch that built it follows it; the
   * others only look again after a while (the follower anchors them all at once).
   */
  static final String JOIN = """
      UPDATE batches b SET anchor_tx_hash = $3, anchor_raw_tx = $4, anchor_nonce = $5,
             anchor_from = $6, round_root = $7, round_size = $8, round_path = u.path::jsonb,
             anchor_block = NULL, anchor_sent_block = $10, anchor_sent_at = now(),
             anchor_replaced = NULL, anchor_mined_tx = NULL,
             attempts = 0, last_error = NULL, updated_at = now(),
             next_attempt_at = CASE WHEN b.id = $2 THEN now() ELSE now() + interval '30 seconds' END
        FROM unnest($1::text[], $9::text[]) AS u(id, path)
       WHERE b.id = u.id AND b.status = 'anchoring' AND b.anchor_tx_hash IS NULL""";
  /** The batch that follows a round: its oldest (the others look again only now and then). */
  static final String FOLLOWER = """
      SELECT min(id) AS id FROM batches WHERE anchor_tx_hash = $1 AND status = 'anchoring'""";
  /** The node no longer knows the round's transaction and never will: its batches wait again. */
  static final String FORGET = """
      UPDATE batches SET anchor_tx_hash = NULL, anchor_raw_tx = NULL, anchor_nonce = NULL,
             anchor_from = NULL, round_root = NULL, round_path = NULL, round_size = NULL,
             anchor_block = NULL, anchor_sent_block = NULL, anchor_sent_at = NULL,
             anchor_replaced = NULL, anchor_mined_tx = NULL, next_attempt_at = now()
       WHERE anchor_tx_hash = $1 AND status = 'anchoring'""";
  /** The block that holds the round and which of its transactions (or NULLs: a reorg). */
  static final String MINED = """
      UPDATE batches SET anchor_block = $2, anchor_mined_tx = $3,
             anchor_sent_block = coalesce($4, anchor_sent_block)
       WHERE anchor_tx_hash = $1 AND status = 'anchoring'
         AND (anchor_block IS DISTINCT FROM $2 OR anchor_mined_tx IS DISTINCT FROM $3)
      RETURNING anchor_sent_at""";
  /**
   * A stuck transaction replaced: the new one is stored, the old hash kept (it may still be
   * mined), before anything is sent. Keyed on the old hash, so of two nodes only one replaces.
   */
  static final String REPLACE = """
      UPDATE batches SET anchor_tx_hash = $2, anchor_raw_tx = $3, anchor_sent_block = $4,
             anchor_replaced = coalesce(anchor_replaced, '{}') || $1::text, updated_at = now()
       WHERE anchor_tx_hash = $1 AND status = 'anchoring'""";
  /** The oldest batch waiting for a round of this chain: it builds the next one. */
  static final String OLDEST_WAITING = """
      SELECT min(id) AS id FROM batches
       WHERE chain_id = $1 AND status = 'anchoring' AND anchor_tx_hash IS NULL""";
  /** A round is mined: the oldest waiting batch builds the next one now, not at its next poll. */
  static final String WAKE_WAITING = """
      UPDATE batches SET next_attempt_at = now()
       WHERE id = (SELECT min(id) FROM batches
                    WHERE chain_id = $1 AND status = 'anchoring' AND anchor_tx_hash IS NULL)
         AND next_attempt_at > now()""";
  /** Confirmed: every batch of the round is anchored, each with its own root and the round's. */
  static final String ANCHORED = """
      UPDATE batches SET status = 'anchored', leased_until = NULL, last_error = NULL,
             updated_at = now(),
             anchor = jsonb_build_object('chain_id', $2::bigint,
                 'tx_hash', coalesce(anchor_mined_tx, anchor_tx_hash),
                 'block_number', $3::bigint, 'merkle_root', coalesce(round_root, merkle_root),
                 'batch_root', merkle_root)
       WHERE anchor_tx_hash = $1 AND status = 'anchoring'
      RETURNING id, tenant_id, environment, anchor""";
  static final String ACTIVATE = """
      UPDATE credentials SET status = 'active' WHERE batch_id = ANY($1) AND status = 'pending'""";

  private RoundSql() {}
}
