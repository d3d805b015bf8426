-- Gateway core: tenants, API keys, quotas, batches, idempotency and the audit log.

CREATE TABLE tenants (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  plan        text NOT NULL CHECK (plan IN ('starter', 'institution', 'industry')),
  issuer_did  text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id            text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants (id),
  environment   text NOT NULL CHECK (environment IN ('test', 'live')),
  key_hash      bytea NOT NULL UNIQUE,
  key_last4     text NOT NULL,
  ip_allowlist  text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

-- Credentials reserved per tenant, environment and calendar month (UTC): the quota counter.
-- Test issuance never eats into the live quota.
CREATE TABLE monthly_usage (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  environment  text NOT NULL CHECK (environment IN ('test', 'live')),
  month        date NOT NULL,
  credentials  integer NOT NULL,
  PRIMARY KEY (tenant_id, environment, month)
);

CREATE TABLE batches (
  id               text PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id),
  environment      text NOT NULL CHECK (environment IN ('test', 'live')),
  network          text NOT NULL,
  issuer           text,
  status           text NOT NULL,
  count            integer NOT NULL,
  idempotency_key  text,
  anchor           jsonb,
  last_error       jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
-- A retried POST whose idempotency record was lost still finds its batch: no batch twice.
CREATE UNIQUE INDEX batches_idempotency ON batches (tenant_id, idempotency_key);
CREATE INDEX batches_queue ON batches (created_at) WHERE status IN ('queued', 'signing', 'anchoring');

CREATE TABLE credentials (
  id              text PRIMARY KEY,
  batch_id        text NOT NULL REFERENCES batches (id),
  tenant_id       text NOT NULL REFERENCES tenants (id),
  position        integer NOT NULL,
  status          text NOT NULL,
  recipient_id    text,
  recipient_name  text,
  recipient_email text,
  input           jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  erased_at       timestamptz,
  UNIQUE (batch_id, position)
);

CREATE TABLE idempotency_keys (
  tenant_id      text NOT NULL REFERENCES tenants (id),
  key            text NOT NULL,
  method         text NOT NULL,
  path           text NOT NULL,
  body_sha256    bytea NOT NULL,
  status         integer,
  content_type   text,
  location       text,
  response_body  bytea,
  created_at     timestamptz NOT NULL DEFAULT now(),
  request_id     text,
  completed_at   timestamptz,
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE audit_log (
  request_id       text PRIMARY KEY,
  at               timestamptz NOT NULL,
  tenant_id        text,
  key_id           text,
  client_ip        text,
  method           text NOT NULL,
  path             text NOT NULL,
  status           integer NOT NULL,
  error_code       text,
  latency_ms       integer NOT NULL,
  idempotency_key  text
);
CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at);
