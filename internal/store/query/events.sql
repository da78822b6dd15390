-- name: InsertEvent :execrows
INSERT INTO events (id, type, dispute_id, order_id, data, created_at)
VALUES (@id, @type, @dispute_id, @order_id, @data, @created_at)
ON CONFLICT DO NOTHING;

-- name: GetEvent :one
SELECT * FROM events WHERE id = @id;
