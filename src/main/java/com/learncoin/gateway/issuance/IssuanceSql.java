package com.learncoin.gateway.issuance;

/** The issuance worker's SQL: a lease-based queue shared by every node (SKIP LOCKED). */
final class IssuanceSql {
  static final String CLAIM = """
      UPDATE batches b
         SET leased_until = now() + interval '30 seconds',
             status = CASE WHEN b.status = 'queued' THEN 'signing' ELSE b.status END,
             updated_at = CASE WHEN b.status = 'queued' THEN now() ELSE b.updated_at END
       WHERE b.id = (SELECT id FROM batches
                      WHERE status IN ('queued', 'signing', 'anchoring')
                        AND next_attempt_at <= now()
                        AND (leased_until IS NULL OR leased_until < now())
                      ORDER BY next_attempt_at
                      FOR UPDATE SKIP LOCKED LIMIT 1)
      RETURNING b.*, (SELECT name FROM tenants t WHERE t.id = b.tenant_id) AS tenant_name""";
  /**
   * More small batches due for signing, signed together with the one just claimed: one lease,
   * one query for their credentials, one transaction for all of them (see {@link SigningStep}).
   */
  static final String CLAIM_SMALL = """
      UPDATE batches b
         SET leased_until = now() + interval '30 seconds',
             status = CASE WHEN b.status = 'queued' THEN 'signing' ELSE b.status END,
             updated_at = CASE WHEN b.status = 'queued' THEN now() ELSE b.updated_at END
       WHERE b.id IN (SELECT id FROM batches
                       WHERE status IN ('queued', 'signing') AND count <= $1
                         AND next_attempt_at <= now()
                         AND (leased_until IS NULL OR leased_until < now())
                       ORDER BY next_attempt_at
                       FOR UPDATE SKIP LOCKED LIMIT $2)
      RETURNING b.*, (SELECT name FROM tenants t WHERE t.id = b.tenant_id) AS tenant_name""";
  static final String CREDENTIALS = """
      SELECT batch_id, id, input, status_list_id, status_index FROM credentials
       WHERE batch_id = ANY($1) AND status <> 'erased' ORDER BY batch_id, position""";
  /** Every batch's credentials in one statement (column arrays), not one UPDATE per credential. */
  static final String STORE_SIGNED = """
      UPDATE credentials c SET vc = u.vc, leaf = u.leaf, merkle_path = u.path::jsonb,
             signing_key_id = u.key_id
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
             AS u(id, vc, leaf, path, key_id)
       WHERE c.id = u.id AND c.status <> 'erased'""";
  /**
   * Only from signing: a node whose lease ran out must not replace another's root. Each batch
   * looks for a round again after its own wait (the worker tries one at once, per network).
   */
  static final String SIGNED = """
      UPDATE batches b SET status = 'anchoring', merkle_root = u.root, chain_id = u.chain_id,
             attempts = 0, last_error = NULL, leased_until = NULL,
             next_attempt_at = now() + make_interval(secs => u.wait), updated_at = now()
        FROM unnest($1::text[], $2::text[], $3::bigint[], $4::float8[]) AS u(id, root, chain_id, wait)
       WHERE b.id = u.id AND b.status = 'signing'
      RETURNING b.id""";
  static final String LOCK_CHAIN = "SELECT pg_advisory_xact_lock($1)";
  static final String POLL_LATER = """
      UPDATE batches SET leased_until = NULL, attempts = 0, last_error = NULL,
             next_attempt_at = now() + make_interval(secs => $2)
       WHERE id = $1""";
  static final String RETRY_LATER = """
      UPDATE batches SET leased_until = NULL, attempts = attempts + 1, last_error = $2,
             next_attempt_at = now() + make_interval(secs => $3), updated_at = now()
       WHERE id = $1
      RETURNING attempts""";
  /** A dependency is back: batches in backoff because of it go now, not after up to 60 s. */
  static final String RESUME = """
      UPDATE batches SET next_attempt_at = now()
       WHERE status IN ('queued', 'signing', 'anchoring') AND next_attempt_at > now()
         AND last_error ->> 'code' = $1 AND ($2::text IS NULL OR network = $2)""";
  static final String FAILED = """
      UPDATE batches SET status = 'failed', leased_until = NULL, last_error = $2, updated_at = now()
       WHERE id = $1""";

  private IssuanceSql() {}
}
