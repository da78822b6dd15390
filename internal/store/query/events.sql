-- name: GetEvent :one
SELECT * FROM events WHERE id = @id;
