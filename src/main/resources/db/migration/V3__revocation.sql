-- Revocation: why a credential was revoked (shown to its issuer, never in the public status list).
ALTER TABLE credentials ADD COLUMN revocation_reason text;
