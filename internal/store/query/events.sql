-- name: InsertEvent :execrows
INSERT INTO events (id, type, dispute_id, order_id, data, created_at)
VALUES (@id, @type, @dispute_id, @order_id, @data, @created_at)
ON CONFLICT DO NOTHING;

-- name: GetEvent :one
SELECT * FROM events WHERE id = @id;

-- name: ListEvents :many
SELECT * FROM events
WHERE (CAST(sqlc.narg('type') AS TEXT) IS NULL OR type = sqlc.narg('type'))
  AND (CAST(sqlc.narg('dispute_id') AS TEXT) IS NULL OR dispute_id = sqlc.narg('dispute_id'))
  AND (CAST(sqlc.narg('order_id') AS TEXT) IS NULL OR order_id = sqlc.narg('order_id'))
  AND (CAST(sqlc.narg('after_id') AS TEXT) IS NULL
       OR created_at < sqlc.narg('after_created')
       OR (created_at = sqlc.narg('after_created') AND id < sqlc.narg('after_id')))
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg('lim') OFFSET sqlc.arg('off');
