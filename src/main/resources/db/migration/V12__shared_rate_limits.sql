-- LEARNCOIN_RATE_LIMIT=postgresql: every node of a deployment limits a tenant against one shared
-- token bucket (Bucket4j's serialized state, one row per tenant), and counts the live nodes to
-- know its share of a plan when it has to limit alone (one heartbeat row per node).
--
-- UNLOGGED: both are rewritten all the time and neither is worth a WAL record or a replica. After
-- a PostgreSQL crash they come back empty: full buckets, which is what a tenant idle for a minute
-- has anyway, and nodes counted again within one heartbeat.
CREATE UNLOGGED TABLE rate_limit_buckets (
  tenant_id  text PRIMARY KEY,
  state      bytea
);

CREATE UNLOGGED TABLE gateway_nodes (
  node_id  text PRIMARY KEY,
  seen_at  timestamptz NOT NULL
);
