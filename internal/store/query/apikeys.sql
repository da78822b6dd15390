-- name: InsertAPIKey :execrows
INSERT INTO api_keys (id, role, party_id, hash, prefix, name, created_at, revoked_at, revoked_by)
VALUES (@id, @role, @party_id, @hash, @prefix, @name, @created_at, @revoked_at, @revoked_by)
ON CONFLICT DO NOTHING;

-- name: GetAPIKey :one
SELECT * FROM api_keys WHERE id = @id;

-- name: GetAPIKeyByHash :one
SELECT * FROM api_keys WHERE hash = @hash;

-- name: ListAPIKeys :many
SELECT * FROM api_keys
WHERE CAST(sqlc.narg('after_id') AS TEXT) IS NULL
   OR created_at < sqlc.narg('after_created')
   OR (created_at = sqlc.narg('after_created') AND id < sqlc.narg('after_id'))
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg('lim') OFFSET sqlc.arg('off');

-- name: RevokeAPIKey :execrows
UPDATE api_keys SET revoked_at = @revoked_at, revoked_by = @revoked_by
WHERE id = @id AND revoked_at IS NULL;

-- name: APIKeyExists :one
SELECT COUNT(*) FROM api_keys WHERE id = @id;
