package com.learncoin.gateway.webhook;

/** The webhook feature's SQL: endpoints, the outbox, and a lease-based delivery queue. */
final class WebhookSql {
  static final String ENDPOINT_COLUMNS = "id, url, events, status, created_at";
  /** Serializes creations per tenant, so two at once cannot both pass the endpoint limit. */
  static final String LOCK_TENANT_ENDPOINTS = "SELECT pg_advisory_xact_lock(7012, hashtext($1))";
  /** Inserts only while the tenant (both environments) has fewer than $7 endpoints. */
  static final String INSERT_ENDPOINT = """
      INSERT INTO webhook_endpoints (id, tenant_id, environment, url, events, secret)
      SELECT $1, $2, $3, $4, $5, $6
       WHERE (SELECT count(*) FROM webhook_endpoints WHERE tenant_id = $2) < $7
      RETURNING """ + " " + ENDPOINT_COLUMNS;
  static final String ONE_ENDPOINT = "SELECT " + ENDPOINT_COLUMNS + " " + """
       FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2 AND environment = $3""";
  static final String PAGE_ENDPOINTS = "SELECT " + ENDPOINT_COLUMNS + " " + """
       FROM webhook_endpoints WHERE tenant_id = $1 AND environment = $2 AND id > $3
      ORDER BY id LIMIT $4""";
  static final String DELETE_ENDPOINT = """
      DELETE FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2 AND environment = $3""";

  static final String DELIVERY_COLUMNS = """
      d.id, d.endpoint_id, d.event_id, e.type, d.status, d.attempts, d.next_attempt_at,
      d.last_status_code, d.last_error, d.log, d.created_at, d.updated_at""";
  static final String PAGE_DELIVERIES = "SELECT " + DELIVERY_COLUMNS + " " + """
       FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
      WHERE d.endpoint_id = $1 AND d.id > $2 ORDER BY d.id LIMIT $3""";
  static final String RETRY = """
      WITH d AS (UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(),
                        leased_until = NULL, updated_at = now()
                  WHERE id = $1 AND endpoint_id = $2 RETURNING *)
      SELECT""" + " " + DELIVERY_COLUMNS + " FROM d JOIN webhook_events e ON e.id = d.event_id";

  static final String INSERT_EVENT = """
      INSERT INTO webhook_events (id, tenant_id, environment, type, payload)
      VALUES ($1, $2, $3, $4, $5)""";
  static final String SUBSCRIBED = """
      SELECT id FROM webhook_endpoints
       WHERE tenant_id = $1 AND environment = $2 AND status = 'enabled' AND $3 = ANY (events)""";
  static final String INSERT_DELIVERY = """
      INSERT INTO webhook_deliveries (id, event_id, endpoint_id) VALUES ($1, $2, $3)""";

  /**
   * Claims on every node take this transaction-scoped lock first, so each sees the leases the
   * others just took and the per-tenant cap holds across nodes. Two-key advisory locks (this and
   * {@link #LOCK_TENANT_ENDPOINTS}) never meet the one-key locks of anchoring (chain ids).
   */
  static final String CLAIM_LOCK = "SELECT pg_advisory_xact_lock(7011, 0)";
  /**
   * Due deliveries, at most $1, leased for longer than one attempt can take (10 s timeout). Fair
   * across tenants: a tenant with $2 attempts under way (unexpired leases, on any node) gets none,
   * and the rest are taken in turns (every tenant's oldest due delivery, then every tenant's
   * second, ...), so one tenant's backlog of slow endpoints holds at most $2 places.
   */
  static final String CLAIM = """
      WITH busy AS (
        SELECT w.tenant_id, count(*) AS n
          FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
         WHERE d.status = 'pending' AND d.leased_until >= now()
         GROUP BY w.tenant_id),
      due AS (
        SELECT d.id, d.next_attempt_at, w.tenant_id,
               row_number() OVER (PARTITION BY w.tenant_id ORDER BY d.next_attempt_at, d.id) AS turn
          FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= now()
           AND (d.leased_until IS NULL OR d.leased_until < now())),
      picked AS (
        SELECT due.id FROM due LEFT JOIN busy ON busy.tenant_id = due.tenant_id
         WHERE due.turn <= $2 - coalesce(busy.n, 0)
         ORDER BY due.turn, due.next_attempt_at, due.id
         LIMIT $1),
      claimed AS (
        UPDATE webhook_deliveries d SET leased_until = now() + interval '60 seconds'
         WHERE d.id IN (SELECT id FROM webhook_deliveries
                         WHERE id IN (SELECT id FROM picked) AND status = 'pending'
                           AND (leased_until IS NULL OR leased_until < now())
                         FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.event_id, d.endpoint_id, d.attempts)
      SELECT c.id, c.attempts, c.endpoint_id, e.id AS event_id, e.type, e.payload, e.created_at,
             w.url, w.secret, w.environment
        FROM claimed c JOIN webhook_events e ON e.id = c.event_id
        JOIN webhook_endpoints w ON w.id = c.endpoint_id""";
  static final String SUCCEEDED = """
      UPDATE webhook_deliveries SET status = 'succeeded', attempts = attempts + 1,
             leased_until = NULL, last_status_code = $2, last_error = NULL,
             log = log || $3::jsonb, updated_at = now()
       WHERE id = $1""";
  /** Retried after $4 seconds, or failed for good when $5 is true. */
  static final String ATTEMPT_FAILED = """
      UPDATE webhook_deliveries
         SET status = CASE WHEN $5 THEN 'failed' ELSE 'pending' END, attempts = attempts + 1,
             leased_until = NULL, last_status_code = $2, last_error = $6,
             log = log || $3::jsonb, next_attempt_at = now() + make_interval(secs => $4),
             updated_at = now()
       WHERE id = $1""";
  static final String GONE = """
      UPDATE webhook_deliveries SET status = 'disabled', attempts = attempts + 1,
             leased_until = NULL, last_status_code = 410, last_error = $3,
             log = log || $2::jsonb, updated_at = now()
       WHERE id = $1""";
  static final String DISABLE_ENDPOINT = """
      WITH e AS (UPDATE webhook_endpoints SET status = 'disabled' WHERE id = $1)
      UPDATE webhook_deliveries SET status = 'disabled', updated_at = now()
       WHERE endpoint_id = $1 AND status = 'pending' AND id <> $2""";

  private WebhookSql() {}
}
