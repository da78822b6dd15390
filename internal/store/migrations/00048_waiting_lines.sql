-- The lines whose pending action waits for an admin, longest waiting first: the admin
-- dashboard's list (ManualLines), which read every line to find the few. Portable like 00001.

-- +goose Up
CREATE INDEX lines_waiting ON lines (updated_at, id) WHERE manual AND pending_action <> '';

-- +goose Down
DROP INDEX lines_waiting;
