-- name: InsertLine :execrows
INSERT INTO lines (id, order_id, item, panel, external_id, state, pending_action, manual,
    pending_reason, revision, created_at, updated_at)
VALUES (@id, @order_id, @item, @panel, @external_id, @state, @pending_action, @manual,
    @pending_reason, @revision, @created_at, @updated_at)
ON CONFLICT DO NOTHING;

-- name: UpdateLine :execrows
UPDATE lines SET order_id = @order_id, item = @item, panel = @panel, external_id = @external_id,
    state = @state, pending_action = @pending_action, manual = @manual,
    pending_reason = @pending_reason, revision = revision + 1,
    updated_at = @updated_at
WHERE id = @id AND revision = @revision;

-- name: LineExists :one
SELECT COUNT(*) FROM lines WHERE id = @id;

-- name: GetLine :one
SELECT * FROM lines WHERE id = @id;

-- name: LinesOfOrder :many
SELECT * FROM lines WHERE order_id = @order_id ORDER BY item, id;
