-- The admin UI's dashboard and its dispute list read the open disputes and the recent outcomes
-- over the whole table: at a million disputes, 2.2 s each on SQLite. Partial indexes hold only
-- the rows they need (open disputes: few, as most have ended; ended ones: by when), and cover
-- the dashboard's aggregates so that the table itself is not read. Portable like 00001.

-- +goose Up
CREATE INDEX disputes_open ON disputes (type, status, currency, amount, due_by) WHERE is_open;
CREATE INDEX disputes_open_due ON disputes (due_by, created_at DESC, id DESC) WHERE is_open;
CREATE INDEX disputes_resolved ON disputes (resolved_at, type, status, resolution) WHERE resolved_at IS NOT NULL;

-- +goose Down
DROP INDEX disputes_resolved;
DROP INDEX disputes_open_due;
DROP INDEX disputes_open;
