-- What a payment provider reports of a dispute besides its status: the fees it charged the
-- merchant and gave back (dispute.Fee), a JSON list kept as TEXT like the evidence and tags, and
-- whether it holds evidence (Stripe's evidence_details.has_evidence). Portable like 00001.

-- +goose Up
ALTER TABLE disputes ADD COLUMN fees TEXT NOT NULL DEFAULT '[]';
ALTER TABLE disputes ADD COLUMN provider_has_evidence BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE disputes DROP COLUMN provider_has_evidence;
ALTER TABLE disputes DROP COLUMN fees;
