-- An Idempotency-Key's claim belongs to one run of the request: claim is that run's token, and
-- committed_at is set in the transaction that commits the request's change. After a crash the
-- key then tells a request that changed nothing (its claim can be taken over by a retry once
-- abandoned) from one whose change is stored but whose answer was lost. Portable like 00001.

-- +goose Up
ALTER TABLE idempotency_keys ADD COLUMN claim TEXT NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ADD COLUMN committed_at BIGINT;

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN committed_at;
ALTER TABLE idempotency_keys DROP COLUMN claim;
