-- A shared bucket's row goes once the bucket would be full again and has stayed idle a minute more
-- (Bucket4j's basedOnTimeForRefillingBucketUpToMax writes this, in epoch milliseconds; every node
-- sweeps expired rows each minute). A missing row is created full, so removing a full bucket
-- changes nothing a tenant can see, and a table of every tenant ever limited stays the size of
-- the ones active lately. No index: the sweep scans a table of active tenants once a minute, and
-- an index on a column every sync rewrites would cost each sync a non-HOT update.
ALTER TABLE rate_limit_buckets ADD COLUMN expires_at bigint;
