-- The dispute's fields of the Wix-style object and the provider's ids of the disputed payment
-- (dispute.Dispute): accepted_at, defended_at, auto_defended, channel, seller_protection,
-- provider_charge and provider_payment_intent. Existing disputes get what their history tells:
-- the channel from their type (a PayPal "internal" case is not told apart from the others
-- before now), accepted_at from their concession, defended_at from their last submission.
-- Portable like 00001.

-- +goose Up
ALTER TABLE disputes ADD COLUMN accepted_at BIGINT;
ALTER TABLE disputes ADD COLUMN defended_at BIGINT;
ALTER TABLE disputes ADD COLUMN auto_defended BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE disputes ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN seller_protection TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN provider_charge TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN provider_payment_intent TEXT NOT NULL DEFAULT '';
UPDATE disputes SET channel = CASE type WHEN 'alert' THEN 'alert' WHEN 'marketplace' THEN 'marketplace'
    WHEN 'manual' THEN 'manual' ELSE 'network' END;
UPDATE disputes SET accepted_at = (SELECT MIN(t.created_at) FROM timeline t
    WHERE t.dispute_id = disputes.id AND t.action = 'conceded');
UPDATE disputes SET
    defended_at = (SELECT MAX(t.created_at) FROM timeline t WHERE t.dispute_id = disputes.id AND t.action = 'submitted'),
    auto_defended = COALESCE((SELECT t.actor LIKE 'provider:%' OR t.actor = 'system' FROM timeline t
        WHERE t.dispute_id = disputes.id AND t.action = 'submitted' ORDER BY t.created_at DESC, t.id DESC LIMIT 1), FALSE);
-- The charge and payment_intent filters: a provider's id of the payment, matched or not.
CREATE INDEX disputes_provider_charge ON disputes (provider_charge);
CREATE INDEX disputes_provider_payment_intent ON disputes (provider_payment_intent);

-- +goose Down
DROP INDEX disputes_provider_payment_intent;
DROP INDEX disputes_provider_charge;
ALTER TABLE disputes DROP COLUMN provider_payment_intent;
ALTER TABLE disputes DROP COLUMN provider_charge;
ALTER TABLE disputes DROP COLUMN seller_protection;
ALTER TABLE disputes DROP COLUMN channel;
ALTER TABLE disputes DROP COLUMN auto_defended;
ALTER TABLE disputes DROP COLUMN defended_at;
ALTER TABLE disputes DROP COLUMN accepted_at;
