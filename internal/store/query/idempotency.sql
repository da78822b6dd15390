-- name: InsertIdempotency :execrows
INSERT INTO idempotency_keys (key_id, key, request_hash, status, body, created_at, claim)
VALUES (@key_id, @key, @request_hash, @status, @body, @created_at, @claim)
ON CONFLICT DO NOTHING;

-- name: CompleteIdempotency :execrows
UPDATE idempotency_keys SET status = @status, body = @body WHERE key_id = @key_id AND key = @key AND claim = @claim;

-- name: GetIdempotency :one
SELECT * FROM idempotency_keys WHERE key_id = @key_id AND key = @key;

-- name: DeleteIdempotency :execrows
DELETE FROM idempotency_keys WHERE key_id = @key_id AND key = @key AND claim = @claim;

-- name: MarkIdempotencyCommitted :execrows
UPDATE idempotency_keys SET committed_at = @committed_at
WHERE key_id = @key_id AND key = @key AND claim = @claim;

-- name: TakeOverIdempotency :execrows
UPDATE idempotency_keys SET claim = @claim, created_at = @created_at
WHERE key_id = @key_id AND key = @key AND status = 0 AND committed_at IS NULL AND created_at < @abandoned_before;

-- name: PurgeIdempotency :execrows
DELETE FROM idempotency_keys WHERE created_at < @before;
