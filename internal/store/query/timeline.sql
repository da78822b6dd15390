-- name: InsertTimeline :execrows
INSERT INTO timeline (id, dispute_id, order_id, line_id, actor, action, from_state, to_state, note,
    payload, created_at)
VALUES (@id, @dispute_id, @order_id, @line_id, @actor, @action, @from_state, @to_state, @note,
    @payload, @created_at)
ON CONFLICT DO NOTHING;
