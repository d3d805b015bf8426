package com.learncoin.gateway.identity;

/** The SQL of tenants' issuer DIDs (the issuer_did columns of tenants). */
final class IssuerSql {
  static final String OF_TENANT = """
      SELECT issuer_did, issuer_did_status, issuer_did_checked_at, issuer_did_error
        FROM tenants WHERE id = $1""";
  /** A new DID starts pending; claiming the DID a tenant already has changes nothing. */
  static final String CLAIM = """
      UPDATE tenants
         SET issuer_did_status = CASE WHEN issuer_did IS NOT DISTINCT FROM $2
                                      THEN issuer_did_status ELSE 'pending_verification' END,
             issuer_did_checked_at = CASE WHEN issuer_did IS NOT DISTINCT FROM $2
                                          THEN issuer_did_checked_at END,
             issuer_did_error = CASE WHEN issuer_did IS NOT DISTINCT FROM $2
                                     THEN issuer_did_error END,
             issuer_did = $2
       WHERE id = $1
      RETURNING issuer_did, issuer_did_status, issuer_did_checked_at, issuer_did_error""";
  /** The outcome of a check, kept only if the DID is still the one that was checked. */
  static final String CHECKED = """
      UPDATE tenants SET issuer_did_status = $3, issuer_did_checked_at = now(),
                         issuer_did_error = $4
       WHERE id = $1 AND issuer_did = $2
      RETURNING issuer_did, issuer_did_status, issuer_did_checked_at, issuer_did_error""";
  static final String ACTIVE_OWNER = """
      SELECT id FROM tenants WHERE issuer_did = $1 AND issuer_did_status = 'active'""";

  private IssuerSql() {}
}
