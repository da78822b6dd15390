-- name: InsertActivity :execrows
-- A repeat (the same line and dedup_key) inserts nothing; the caller then reads the entry kept.
INSERT INTO line_activity (id, line_id, order_id, kind, ip, at, detail, source, dedup_key, created_at)
VALUES (@id, @line_id, @order_id, @kind, @ip, @at, @detail, @source, @dedup_key, @created_at)
ON CONFLICT DO NOTHING;

-- name: ActivityByKey :one
SELECT * FROM line_activity WHERE line_id = @line_id AND dedup_key = @dedup_key;

-- name: CountActivity :one
SELECT COUNT(*) FROM line_activity WHERE line_id = @line_id;

-- name: ListActivity :many
-- Newest first; the cursor is the (at, id) of the last entry of the previous page.
SELECT * FROM line_activity
WHERE line_id = @line_id
  AND (CAST(sqlc.narg('since') AS BIGINT) IS NULL OR at >= sqlc.narg('since'))
  AND (CAST(sqlc.narg('until') AS BIGINT) IS NULL OR at < sqlc.narg('until'))
  AND (CAST(sqlc.narg('after_id') AS TEXT) IS NULL
       OR at < sqlc.narg('after_at')
       OR (at = sqlc.narg('after_at') AND id < sqlc.narg('after_id')))
ORDER BY at DESC, id DESC
LIMIT sqlc.arg('lim') OFFSET sqlc.arg('off');

-- name: ActivityOfOrder :many
SELECT * FROM line_activity WHERE order_id = @order_id ORDER BY at DESC, id DESC LIMIT sqlc.arg('lim');

-- name: RecentActivityOfOrder :many
-- The newest entries of each of the order's lines, each with how many its line has in all.
WITH ranked AS (
    SELECT id, line_id, order_id, kind, ip, at, detail, source, dedup_key, created_at,
        ROW_NUMBER() OVER (PARTITION BY line_id ORDER BY at DESC, id DESC) AS place,
        COUNT(*) OVER (PARTITION BY line_id) AS line_total
    FROM line_activity WHERE order_id = @order_id
)
SELECT id, line_id, order_id, kind, ip, at, detail, source, dedup_key, created_at, line_total
FROM ranked
WHERE place <= CAST(sqlc.arg('per_line') AS BIGINT)
ORDER BY line_id, at DESC, id DESC;
