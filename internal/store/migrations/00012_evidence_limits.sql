-- The merchant's caps on a dispute's evidence (dispute.EvidenceLimits), a JSON object kept as
-- TEXT like the other settings; NULL means the defaults. Portable like 00001.

-- +goose Up
ALTER TABLE settings ADD COLUMN evidence_limits TEXT;

-- +goose Down
ALTER TABLE settings DROP COLUMN evidence_limits;
