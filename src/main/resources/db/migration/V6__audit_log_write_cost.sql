-- Every request writes an audit row, so every index on audit_log is paid for on every request.
-- Nothing reads the log by tenant (the admin API looks records up by request id, the primary
-- key); an operator who needs a tenant's history can create this index on a replica.
DROP INDEX IF EXISTS audit_log_tenant_at;
