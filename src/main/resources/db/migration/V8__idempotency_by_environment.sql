-- Idempotency keys are scoped by environment (issue 11): a live key reusing a test key's
-- Idempotency-Key must run its own request, not replay the test answer. And a stored answer
-- names the credential it shows (a revoke's), so an erasure can drop it by id.

ALTER TABLE idempotency_keys
  ADD COLUMN environment   text CHECK (environment IN ('test', 'live')),
  ADD COLUMN credential_id text;

-- The environment of the records already stored: from the key that made the request (audit log),
-- else from the batch the request created. A record whose environment cannot be told is dropped:
-- guessing could replay one environment's answer to the other; a retry of it runs again (a batch
-- POST still finds its batch through the batches' unique index below).
UPDATE idempotency_keys i SET environment = k.environment
  FROM audit_log a JOIN api_keys k ON k.id = a.key_id
 WHERE a.request_id = i.request_id;
UPDATE idempotency_keys i SET environment = b.environment
  FROM batches b
 WHERE i.environment IS NULL AND b.tenant_id = i.tenant_id AND b.idempotency_key = i.key;
DELETE FROM idempotency_keys WHERE environment IS NULL;

ALTER TABLE idempotency_keys
  ALTER COLUMN environment SET NOT NULL,
  DROP CONSTRAINT idempotency_keys_pkey,
  ADD PRIMARY KEY (tenant_id, environment, key);

DROP INDEX batches_idempotency;
CREATE UNIQUE INDEX batches_idempotency ON batches (tenant_id, environment, idempotency_key);
