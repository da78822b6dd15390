-- name: DisputeExists :one
SELECT COUNT(*) FROM disputes WHERE id = @id;

-- name: DeleteDisputeTags :exec
DELETE FROM dispute_tags WHERE dispute_id = @dispute_id;

-- A tag given twice is one row. created_at is the dispute's, for the tag's index.
-- name: InsertDisputeTag :exec
INSERT INTO dispute_tags (dispute_id, tag, created_at) VALUES (@dispute_id, @tag, @created_at)
ON CONFLICT DO NOTHING;

-- name: GetDispute :one
SELECT * FROM disputes WHERE id = @id;

-- name: OpenDisputeOfOrder :one
SELECT * FROM disputes WHERE order_id = @order_id AND is_open;
