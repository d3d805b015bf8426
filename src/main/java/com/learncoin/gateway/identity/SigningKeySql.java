package com.learncoin.gateway.identity;

/** The SQL of tenants' signing keys. */
final class SigningKeySql {
  static final String ACTIVE = """
      SELECT * FROM signing_keys WHERE tenant_id = $1 AND environment = $2 AND status = 'active'""";
  static final String BY_ID = "SELECT * FROM signing_keys WHERE id = $1";
  /** The partial unique index keeps one active key: a concurrent creator inserts nothing. */
  static final String INSERT = """
      INSERT INTO signing_keys (id, tenant_id, environment, public_key, encrypted_seed,
                                kms_key_version)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (tenant_id, environment) WHERE status = 'active' DO NOTHING""";
  /** What a did:web document lists: every key that is not retired, oldest first. */
  static final String PUBLISHED = """
      SELECT * FROM signing_keys
       WHERE tenant_id = $1 AND environment = $2 AND status <> 'retired' ORDER BY id""";
  static final String OF_TENANT = "SELECT * FROM signing_keys WHERE tenant_id = $1 ORDER BY id";
  static final String ROTATE = """
      UPDATE signing_keys SET status = 'rotated', rotated_at = now()
       WHERE tenant_id = $1 AND environment = $2 AND status = 'active'""";
  static final String RETIRE = """
      UPDATE signing_keys SET status = 'retired', retired_at = now()
       WHERE id = $1 AND tenant_id = $2 AND status <> 'retired' RETURNING id""";
  /** Before per-tenant keys, credentials were signed with the gateway-wide key. */
  static final String HAS_LEGACY_CREDENTIALS = """
      SELECT 1 FROM credentials c JOIN batches b ON b.id = c.batch_id
       WHERE c.tenant_id = $1 AND b.environment = $2 AND b.issuer IS NOT NULL
         AND c.signing_key_id IS NULL LIMIT 1""";

  private SigningKeySql() {}
}
