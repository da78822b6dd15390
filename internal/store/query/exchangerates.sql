-- name: SaveExchangeRate :one
-- A rate for a pair and moment already recorded replaces it, keeping its id and creation.
INSERT INTO exchange_rates (id, from_currency, to_currency, rate, effective_from, created_by, created_at, updated_at)
VALUES (@id, @from_currency, @to_currency, @rate, @effective_from, @created_by, @created_at, @updated_at)
ON CONFLICT (from_currency, to_currency, effective_from) DO UPDATE SET rate = excluded.rate,
    updated_at = excluded.updated_at
RETURNING *;

-- name: DeleteExchangeRate :execrows
DELETE FROM exchange_rates WHERE id = @id;

-- name: ExchangeRateInForce :one
SELECT * FROM exchange_rates
WHERE from_currency = @from_currency AND to_currency = @to_currency AND effective_from <= @at
ORDER BY effective_from DESC
LIMIT 1;

-- name: ListExchangeRates :many
SELECT * FROM exchange_rates
WHERE (CAST(sqlc.narg('from_currency') AS TEXT) IS NULL OR from_currency = sqlc.narg('from_currency'))
  AND (CAST(sqlc.narg('to_currency') AS TEXT) IS NULL OR to_currency = sqlc.narg('to_currency'))
  AND (CAST(sqlc.narg('after_id') AS TEXT) IS NULL
       OR created_at < sqlc.narg('after_created')
       OR (created_at = sqlc.narg('after_created') AND id < sqlc.narg('after_id')))
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg('lim') OFFSET sqlc.arg('off');
