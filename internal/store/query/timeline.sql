-- name: InsertTimeline :execrows
INSERT INTO timeline (id, dispute_id, order_id, line_id, actor, action, from_state, to_state, note,
    payload, created_at)
VALUES (@id, @dispute_id, @order_id, @line_id, @actor, @action, @from_state, @to_state, @note,
    @payload, @created_at)
ON CONFLICT DO NOTHING;

-- name: ListTimeline :many
SELECT * FROM timeline
WHERE (CAST(sqlc.narg('dispute_id') AS TEXT) IS NULL OR dispute_id = sqlc.narg('dispute_id'))
  AND (CAST(sqlc.narg('order_id') AS TEXT) IS NULL OR order_id = sqlc.narg('order_id'))
  AND (CAST(sqlc.narg('line_id') AS TEXT) IS NULL OR line_id = sqlc.narg('line_id'))
ORDER BY created_at, id;
