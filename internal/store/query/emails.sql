-- name: UpdateEmail :execrows
UPDATE emails SET from_address = @from_address, state = @state, reason = @reason,
    attempts = @attempts, updated_at = @updated_at, sent_at = @sent_at
WHERE id = @id;

-- name: GetEmail :one
SELECT * FROM emails WHERE id = @id;

-- name: EmailsOfDispute :many
SELECT * FROM emails WHERE dispute_id = @dispute_id ORDER BY created_at, id;

-- name: EmailsOfOrder :many
SELECT * FROM emails WHERE order_id = @order_id ORDER BY created_at, id;
