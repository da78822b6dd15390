-- name: InsertBlock :execrows
INSERT INTO blocklist (id, kind, value, reason, dispute_id, created_by, created_at)
VALUES (@id, @kind, @value, @reason, @dispute_id, @created_by, @created_at)
ON CONFLICT DO NOTHING;

-- name: DeleteBlock :execrows
DELETE FROM blocklist WHERE id = @id;

-- name: FindBlock :one
SELECT * FROM blocklist WHERE kind = @kind AND value = @value;

-- name: ListBlocks :many
SELECT * FROM blocklist
WHERE (CAST(sqlc.narg('kind') AS TEXT) IS NULL OR kind = sqlc.narg('kind'))
  AND (CAST(sqlc.narg('after_id') AS TEXT) IS NULL
       OR created_at < sqlc.narg('after_created')
       OR (created_at = sqlc.narg('after_created') AND id < sqlc.narg('after_id')))
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg('lim') OFFSET sqlc.arg('off');
