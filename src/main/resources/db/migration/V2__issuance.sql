-- Issuance pipeline: a durable work queue on batches, signed credentials with their Merkle paths,
-- and the tenants' revocation status lists.

ALTER TABLE batches
  ADD COLUMN attempts         integer NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN leased_until     timestamptz,
  ADD COLUMN merkle_root      text,
  ADD COLUMN chain_id         bigint,
  -- The anchoring transaction is signed and stored before it is broadcast: after a crash the
  -- same transaction is looked up or re-sent, never a second one.
  ADD COLUMN anchor_tx_hash   text UNIQUE,
  ADD COLUMN anchor_raw_tx    text,
  ADD COLUMN anchor_nonce     numeric(78, 0),
  -- Nodes may hold different wallets: nonces are counted per chain and sender.
  ADD COLUMN anchor_from      text;
DROP INDEX batches_queue;
CREATE INDEX batches_queue ON batches (next_attempt_at)
  WHERE status IN ('queued', 'signing', 'anchoring');

CREATE TABLE status_lists (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id),
  environment  text NOT NULL CHECK (environment IN ('test', 'live')),
  size         integer NOT NULL,
  allocated    integer NOT NULL DEFAULT 0,
  -- One bit per index handed out; indexes are drawn at random and never reused.
  used         bytea NOT NULL,
  signed       text,
  signed_at    timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_lists_open ON status_lists (tenant_id, environment) WHERE allocated < size;

ALTER TABLE credentials
  ADD COLUMN status_list_id  text REFERENCES status_lists (id),
  ADD COLUMN status_index    integer,
  -- The signed credential exactly as served; its SHA-256 is the Merkle leaf.
  ADD COLUMN vc              text,
  ADD COLUMN leaf            text,
  ADD COLUMN merkle_path     jsonb,
  ADD CONSTRAINT credentials_status_slot UNIQUE (status_list_id, status_index);
