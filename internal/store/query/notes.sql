-- name: InsertNote :execrows
INSERT INTO notes (id, dispute_id, author, body, created_at)
VALUES (@id, @dispute_id, @author, @body, @created_at)
ON CONFLICT DO NOTHING;

-- name: ListNotes :many
SELECT * FROM notes WHERE dispute_id = @dispute_id ORDER BY created_at, id;
