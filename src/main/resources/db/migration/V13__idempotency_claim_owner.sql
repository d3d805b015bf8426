-- A claim names the node that holds it (issue 16): the mark that node holds as a session advisory
-- lock (7013, mark) on its change-feed connection. PostgreSQL releases that lock when the session
-- ends, so a claim whose node died (SIGKILL, lost host) is taken over by the next retry at once
-- instead of after 60 s. NULL (claims from before, or made while the node's feed was down): the
-- 60 s rule alone.
ALTER TABLE idempotency_keys ADD COLUMN claimed_by integer;
