-- What fighting is worth (issue 18): the merchant's own fee table and handling cost, and an index
-- for the counts of decided disputes the odds are drawn from. Portable like 00001: JSON kept as
-- TEXT, NULL meaning the shipped defaults (internal/fees).

-- +goose Up
-- fee_table: a JSON object {version, date, rows} replacing the shipped fee table; handling_cost a
-- JSON object {amount, currency}.
ALTER TABLE settings ADD COLUMN fee_table TEXT;
ALTER TABLE settings ADD COLUMN handling_cost TEXT;
-- The decided disputes by what classifies them (store.OutcomeReader): a partial index holds only
-- won and lost disputes and every column the count reads, so the count reads the index alone,
-- however many open disputes there are.
CREATE INDEX disputes_decided ON disputes (status, livemode, network, channel, network_reason_code, reason)
    WHERE status IN ('won', 'lost');

-- +goose Down
DROP INDEX disputes_decided;
ALTER TABLE settings DROP COLUMN handling_cost;
ALTER TABLE settings DROP COLUMN fee_table;
