-- name: GetSecretKeyCheck :one
SELECT sealed FROM secret_key_check WHERE id = 1;

-- Two servers starting together on a new database: one writes the check, the other reads it.
-- name: InsertSecretKeyCheck :exec
INSERT INTO secret_key_check (id, sealed) VALUES (1, @sealed) ON CONFLICT DO NOTHING;

-- name: UpdateSecretKeyCheck :exec
UPDATE secret_key_check SET sealed = @sealed WHERE id = 1;

-- The secret columns as stored, for sealing them again.
-- name: ListProviderSecrets :many
SELECT name, webhook_secret, api_key FROM providers ORDER BY name;

-- name: SealProviderSecrets :exec
UPDATE providers SET webhook_secret = @webhook_secret, api_key = @api_key WHERE name = @name;

-- name: ListPanelSecrets :many
SELECT name, secret FROM panels ORDER BY name;

-- name: SealPanelSecret :exec
UPDATE panels SET secret = @secret WHERE name = @name;

-- name: ListEndpointSecrets :many
SELECT id, secret, previous_secret FROM webhook_endpoints ORDER BY id;

-- name: SealEndpointSecrets :exec
UPDATE webhook_endpoints SET secret = @secret, previous_secret = @previous_secret WHERE id = @id;
