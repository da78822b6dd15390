-- Where the merchant's answer to a provider's dispute stands at the provider (dispute.Submission):
-- its state, kept as a column so that the dashboard finds the failed ones through a small
-- partial index, and the rest (kind, error, when, by whom, the concession's note) as a JSON
-- object like the evidence. '' reads as not_sent. Disputes answered through their provider
-- before this migration (and not waiting for an answer again) are recorded as accepted when they
-- were last updated.
-- Portable like 00001.

-- +goose Up
ALTER TABLE disputes ADD COLUMN submission_state TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN submission TEXT NOT NULL DEFAULT '{}';
UPDATE disputes SET submission_state = 'accepted',
    submission = '{"kind":"evidence","at":' || CAST(updated_at AS TEXT) || '}'
WHERE submission_count > 0 AND provider <> '' AND provider_dispute_id <> ''
    AND type IN ('chargeback', 'inquiry', 'manual')
    AND status NOT IN ('needs_response', 'warning_needs_response');
CREATE INDEX disputes_submission_failed ON disputes (updated_at, id) WHERE is_open AND submission_state = 'failed';

-- +goose Down
DROP INDEX disputes_submission_failed;
ALTER TABLE disputes DROP COLUMN submission;
ALTER TABLE disputes DROP COLUMN submission_state;
