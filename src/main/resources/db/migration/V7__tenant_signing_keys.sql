-- Issuer identity: one signing key per tenant and environment, rotated and retired by the admin
-- API; a did:web belongs to one tenant and is active only once the tenant has published our key.

CREATE TABLE signing_keys (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id),
  environment     text NOT NULL CHECK (environment IN ('test', 'live')),
  -- active: signs new credentials; rotated: signs nothing new, stays published (its credentials
  -- keep verifying); retired: withdrawn from the tenant's did:web document, its credentials revoked.
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'rotated', 'retired')),
  public_key      bytea NOT NULL,
  -- Local signer: the Ed25519 seed, AES-256-GCM under the key-encryption key (nonce || ciphertext).
  encrypted_seed  bytea,
  -- Cloud KMS signer: the EC_SIGN_ED25519 crypto key version that holds the private key.
  kms_key_version text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  rotated_at      timestamptz,
  retired_at      timestamptz,
  CHECK ((encrypted_seed IS NULL) <> (kms_key_version IS NULL))
);
-- Two nodes creating a tenant's key at once: one insert wins, the other reads the winner's key.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (tenant_id, environment)
  WHERE status = 'active';
CREATE INDEX signing_keys_of_tenant ON signing_keys (tenant_id, id);

-- The key a batch is signed with is chosen at intake (its status list slots depend on it).
-- NULL, on rows from before this migration: the gateway-wide key of LEARNCOIN_SIGNER.
ALTER TABLE batches ADD COLUMN signing_key_id text REFERENCES signing_keys (id);
ALTER TABLE credentials ADD COLUMN signing_key_id text REFERENCES signing_keys (id);
CREATE INDEX credentials_signing_key ON credentials (signing_key_id) WHERE signing_key_id IS NOT NULL;
ALTER TABLE status_lists ADD COLUMN signing_key_id text REFERENCES signing_keys (id);
DROP INDEX status_lists_open;
CREATE INDEX status_lists_open ON status_lists (tenant_id, environment, issuer, signing_key_id)
  WHERE allocated < size;

-- A did:web is proven, not claimed: pending until the tenant's document lists its key. Claims made
-- before this migration were never proven: they start over as pending. When two tenants claimed
-- the same DID, the first claim (lowest tenant id, ids are time-ordered) keeps it.
ALTER TABLE tenants ADD COLUMN issuer_did_status text
  CHECK (issuer_did_status IN ('pending_verification', 'active'));
ALTER TABLE tenants ADD COLUMN issuer_did_checked_at timestamptz;
ALTER TABLE tenants ADD COLUMN issuer_did_error text;
UPDATE tenants t SET issuer_did = NULL
 WHERE issuer_did IS NOT NULL
   AND EXISTS (SELECT 1 FROM tenants o WHERE o.issuer_did = t.issuer_did AND o.id < t.id);
UPDATE tenants SET issuer_did_status = 'pending_verification' WHERE issuer_did IS NOT NULL;
CREATE UNIQUE INDEX tenants_issuer_did ON tenants (issuer_did) WHERE issuer_did IS NOT NULL;
