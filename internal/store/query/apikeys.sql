-- name: InsertAPIKey :execrows
INSERT INTO api_keys (id, role, party_id, hash, prefix, name, created_at)
VALUES (@id, @role, @party_id, @hash, @prefix, @name, @created_at)
ON CONFLICT DO NOTHING;

-- name: GetAPIKeyByHash :one
SELECT * FROM api_keys WHERE hash = @hash;
