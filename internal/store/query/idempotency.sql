-- name: InsertIdempotency :execrows
INSERT INTO idempotency_keys (key_id, key, request_hash, status, body, created_at)
VALUES (@key_id, @key, @request_hash, @status, @body, @created_at)
ON CONFLICT DO NOTHING;

-- name: CompleteIdempotency :execrows
UPDATE idempotency_keys SET status = @status, body = @body WHERE key_id = @key_id AND key = @key;

-- name: GetIdempotency :one
SELECT * FROM idempotency_keys WHERE key_id = @key_id AND key = @key;

-- name: DeleteIdempotency :execrows
DELETE FROM idempotency_keys WHERE key_id = @key_id AND key = @key;

-- name: PurgeIdempotency :execrows
DELETE FROM idempotency_keys WHERE created_at < @before;
