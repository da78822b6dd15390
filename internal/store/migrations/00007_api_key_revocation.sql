-- A revoked API key stays in its table, so that the audit trail says when it was revoked and by
-- whom; it authenticates no more. Portable like 00001.

-- +goose Up
ALTER TABLE api_keys ADD COLUMN revoked_at BIGINT;
-- revoked_by is the actor who revoked it ("admin:key_…", "system" for the command line).
ALTER TABLE api_keys ADD COLUMN revoked_by TEXT NOT NULL DEFAULT '';
CREATE INDEX api_keys_created ON api_keys (created_at DESC, id DESC);

-- +goose Down
DROP INDEX api_keys_created;
ALTER TABLE api_keys DROP COLUMN revoked_by;
ALTER TABLE api_keys DROP COLUMN revoked_at;
