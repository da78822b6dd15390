-- What a payment provider charged the merchant for a dispute, and gave back (dispute.Fee): a
-- JSON list kept as TEXT like the evidence and tags. Portable like 00001.

-- +goose Up
ALTER TABLE disputes ADD COLUMN fees TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE disputes DROP COLUMN fees;
