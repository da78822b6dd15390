-- The outcomes report (GET /v1/analytics/outcomes) reads the disputes opened in a period and, for
-- those that ended in a compromise, the refunds recorded for them. Without these indexes both
-- are full scans: at a million disputes and transactions, each report would read them all.
-- Portable like 00001.

-- +goose Up
CREATE INDEX disputes_happened ON disputes (happened_at);
CREATE INDEX transactions_dispute ON transactions (dispute_id, kind) WHERE dispute_id <> '';

-- +goose Down
DROP INDEX transactions_dispute;
DROP INDEX disputes_happened;
