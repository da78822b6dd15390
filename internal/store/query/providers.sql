-- name: SaveProvider :exec
-- created_at is written once, by the first save.
INSERT INTO providers (name, type, webhook_secret, api_key, api_base, webhook_id, created_at, updated_at)
VALUES (@name, @type, @webhook_secret, @api_key, @api_base, @webhook_id, @created_at, @updated_at)
ON CONFLICT (name) DO UPDATE SET type = excluded.type, webhook_secret = excluded.webhook_secret,
    api_key = excluded.api_key, api_base = excluded.api_base, webhook_id = excluded.webhook_id,
    updated_at = excluded.updated_at;

-- name: InsertProvider :execrows
INSERT INTO providers (name, type, webhook_secret, api_key, api_base, webhook_id, created_at, updated_at)
VALUES (@name, @type, @webhook_secret, @api_key, @api_base, @webhook_id, @created_at, @updated_at)
ON CONFLICT DO NOTHING;

-- name: DeleteProvider :execrows
DELETE FROM providers WHERE name = @name;

-- name: GetProvider :one
SELECT * FROM providers WHERE name = @name;

-- name: ListProviders :many
SELECT * FROM providers ORDER BY name;

-- name: RetryProviderEvent :execrows
UPDATE provider_events SET state = 'pending', next_attempt_at = NULL WHERE id = @id AND state = 'failed';

-- name: GetProviderEventByID :one
SELECT * FROM provider_events WHERE id = @id;

-- name: InboxStats :many
SELECT state, CAST(COUNT(*) AS BIGINT) AS events, CAST(MIN(received_at) AS BIGINT) AS oldest
FROM provider_events WHERE state <> 'applied' GROUP BY state;

-- name: GetProviderEvent :one
SELECT * FROM provider_events WHERE provider = @provider AND event_id = @event_id;

-- name: LastProviderEventAt :one
SELECT CAST(COALESCE(MAX(happened_at), 0) AS BIGINT) FROM provider_events WHERE dispute_id = @dispute_id AND dispute_id <> '' AND applied;

-- The condition on '' repeats the WHERE of the partial index disputes_provider_case: SQLite uses
-- a partial index only for a query that says it covers no other rows, and otherwise read every
-- dispute on every provider event.
-- name: FindDisputeByProvider :one
SELECT * FROM disputes WHERE provider = @provider AND provider_dispute_id = @provider_dispute_id
    AND provider_dispute_id <> '';
