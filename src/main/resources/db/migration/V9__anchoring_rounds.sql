-- Anchoring rounds (issue 12): one chain transaction carries the Merkle root over every waiting
-- batch's root, of any tenant. The batches of a round share its stored transaction (hash, signed
-- bytes, nonce, sender), so the columns that held one batch's transaction now hold its round's:
-- the hash is no longer unique. A batch keeps its own root (merkle_root) and gains the round's
-- root and the path from its root up to it; a receipt's path is the credential's path in its
-- batch followed by the batch's path in its round.
ALTER TABLE batches DROP CONSTRAINT batches_anchor_tx_hash_key;
ALTER TABLE batches
  ADD COLUMN round_root   text,
  ADD COLUMN round_path   jsonb,
  ADD COLUMN round_size   integer,
  -- The block that holds the round's transaction, once seen; NULL again after a reorg drops it.
  ADD COLUMN anchor_block bigint;
CREATE INDEX batches_anchor_tx ON batches (anchor_tx_hash) WHERE anchor_tx_hash IS NOT NULL;
-- Signed batches waiting for the next round of their chain.
CREATE INDEX batches_round_waiting ON batches (chain_id, id)
  WHERE status = 'anchoring' AND anchor_tx_hash IS NULL;
