-- The merchant's refund windows by alert type, in hours, over the published ones
-- (internal/dispute/alertwindows.json): a JSON object {"ethoca": 24, ...}; NULL overrides none.
-- Portable like 00001.

-- +goose Up
ALTER TABLE settings ADD COLUMN alert_refund_windows TEXT;

-- +goose Down
ALTER TABLE settings DROP COLUMN alert_refund_windows;
