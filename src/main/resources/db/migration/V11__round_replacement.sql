-- Stuck round transactions are replaced (issue 12): same nonce, higher fees. The replacement is
-- stored before it is sent and the hashes it replaced are kept, because any of them may still be
-- mined (they share a nonce, so at most one is); the one found in a block is the round's anchor.
-- (V10 is unused.)
ALTER TABLE batches
  -- The chain's head when the round's current transaction was signed: replaced N blocks later.
  ADD COLUMN anchor_sent_block bigint,
  -- When the round was stored (the round's timings in metrics).
  ADD COLUMN anchor_sent_at    timestamptz,
  -- Earlier transactions of the round (same nonce, lower fees), oldest first.
  ADD COLUMN anchor_replaced   text[],
  -- Which of the round's transactions is in anchor_block.
  ADD COLUMN anchor_mined_tx   text;
