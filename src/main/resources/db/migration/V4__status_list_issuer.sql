-- A status list is signed by the issuer of the credentials that point at it (verifiers require
-- the two to match): lists are kept per issuer. NULL: the signing key's did:key.
ALTER TABLE status_lists ADD COLUMN issuer text;
DROP INDEX status_lists_open;
CREATE INDEX status_lists_open ON status_lists (tenant_id, environment, issuer) WHERE allocated < size;
