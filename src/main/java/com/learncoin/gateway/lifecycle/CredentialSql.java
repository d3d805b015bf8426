package com.learncoin.gateway.lifecycle;

/** The SQL of issued credentials: reads, revoke, erase and the status-bit look-up verify makes. */
final class CredentialSql {
  /**
   * What {@link CredentialStore#toJson} renders: the credential and its batch's anchor. The path
   * of an anchored credential leads from its leaf to its batch's root and on to the round's root
   * in the transaction (a batch anchored alone, before rounds, has no round path).
   */
  private static final String COLUMNS = """
      SELECT c.id, c.batch_id, c.status, c.recipient_id, c.vc, c.leaf, c.created_at,
             CASE WHEN b.anchor IS NOT NULL AND b.round_path IS NOT NULL
                  THEN c.merkle_path || b.round_path ELSE c.merkle_path END AS merkle_path,
             c.revoked_at, c.erased_at, b.anchor
        FROM credentials c JOIN batches b ON b.id = c.batch_id""";
  static final String ONE = COLUMNS + """

       WHERE c.id = $1 AND c.tenant_id = $2 AND b.environment = $3""";
  static final String PAGE = COLUMNS + """

       WHERE c.batch_id = $1 AND c.position > $2 ORDER BY c.position LIMIT $3""";
  static final String READ = COLUMNS + """

       WHERE c.id = $1""";
  static final String CURSOR = "SELECT position FROM credentials WHERE id = $1 AND batch_id = $2";
  static final String LOCK = """
      SELECT c.tenant_id, c.status, b.environment FROM credentials c
        JOIN batches b ON b.id = c.batch_id WHERE c.id = $1 FOR UPDATE OF c""";
  static final String LOCK_SHARED = "SELECT status FROM credentials WHERE id = $1 FOR SHARE";
  static final String REVOKE = """
      UPDATE credentials SET status = 'revoked', revoked_at = now(), revocation_reason = $2
       WHERE id = $1 RETURNING status_list_id""";
  static final String ERASE = """
      UPDATE credentials SET status = 'erased', erased_at = now(),
             revoked_at = coalesce(revoked_at, now()), recipient_id = NULL, recipient_name = NULL,
             recipient_email = NULL, input = NULL, vc = NULL
       WHERE id = $1 RETURNING status_list_id""";
  /** Every credential a retired key signed, not revoked yet (erased ones are revoked already). */
  static final String REVOKE_SIGNED_WITH = """
      UPDATE credentials c SET status = 'revoked', revoked_at = now(), revocation_reason = $3
        FROM batches b
       WHERE b.id = c.batch_id AND c.tenant_id = $1 AND c.signing_key_id = $2
         AND c.revoked_at IS NULL
      RETURNING c.id, c.batch_id, c.status_list_id, b.environment""";
  static final String RECIPIENT = "SELECT recipient_id FROM credentials WHERE id = $1";
  static final String REVOKED_BIT = """
      SELECT 1 FROM credentials
       WHERE status_list_id = $1 AND status_index = $2 AND revoked_at IS NOT NULL""";

  private CredentialSql() {}
}
