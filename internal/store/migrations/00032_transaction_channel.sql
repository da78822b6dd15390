-- How the card met the merchant (order.Channel): card_present, card_not_present, or '' when not
-- said (counted as card-not-present). Visa's VAMP ratio divides by the month's Visa
-- card-not-present sales and Mastercard's ECM by the previous month's Mastercard sales:
-- transactions_monitored answers "the sales of [from, to) per card network and channel" from the
-- index alone, without reading a row. disputes_monitored does the same for the disputes that
-- happened in a month, by what classifies them (internal/app/ratios.go). Portable like 00001.

-- +goose Up
ALTER TABLE transactions ADD COLUMN channel TEXT NOT NULL DEFAULT '';
CREATE INDEX transactions_monitored ON transactions (created_at, kind, card_network, channel);
CREATE INDEX disputes_monitored ON disputes (happened_at, type, stage, alert_type, network, channel,
    network_reason_code, reason);

-- +goose Down
DROP INDEX disputes_monitored;
DROP INDEX transactions_monitored;
ALTER TABLE transactions DROP COLUMN channel;
