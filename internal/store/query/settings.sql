-- name: SaveSettings :exec
INSERT INTO settings (id, block_on_dispute, merchant_name, updated_at)
VALUES (1, @block_on_dispute, @merchant_name, @updated_at)
ON CONFLICT (id) DO UPDATE SET block_on_dispute = excluded.block_on_dispute,
    merchant_name = excluded.merchant_name, updated_at = excluded.updated_at;

-- name: GetSettings :one
SELECT block_on_dispute, merchant_name, updated_at FROM settings WHERE id = 1;
