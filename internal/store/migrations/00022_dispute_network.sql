-- The card network or provider a dispute is on, as its provider said it (Stripe's card brand);
-- '' when it said none, and the reason code's shape tells (internal/reasoncode). Portable like
-- 00001.

-- +goose Up
ALTER TABLE disputes ADD COLUMN network TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE disputes DROP COLUMN network;
