-- Exchange rates the merchant records (issue 18): rules, the recommendation and analytics convert
-- amounts with them; a missing rate is said, never guessed. A rate is the exact decimal text the
-- merchant wrote (internal/fx), never a float. One rate per pair and moment: recording it again
-- replaces it. The unique index is also the lookup's: the newest rate from→to in force at a time.
-- reporting_currency '' means USD. Portable like 00001.

-- +goose Up
CREATE TABLE exchange_rates (
    id             TEXT PRIMARY KEY,
    from_currency  TEXT NOT NULL,
    to_currency    TEXT NOT NULL,
    rate           TEXT NOT NULL,
    effective_from BIGINT NOT NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (from_currency, to_currency, effective_from)
);
CREATE INDEX exchange_rates_created ON exchange_rates (created_at DESC, id DESC);
ALTER TABLE settings ADD COLUMN reporting_currency TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE settings DROP COLUMN reporting_currency;
DROP TABLE exchange_rates;
