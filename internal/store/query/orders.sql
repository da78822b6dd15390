-- name: InsertOrder :execrows
INSERT INTO orders (id, customer_id, vendor_id, currency, status, items, total, void_reason,
    completed_at, voided_at, metadata, revision, created_at, updated_at)
VALUES (@id, @customer_id, @vendor_id, @currency, @status, @items, @total, @void_reason,
    @completed_at, @voided_at, @metadata, @revision, @created_at, @updated_at)
ON CONFLICT DO NOTHING;

-- name: UpdateOrder :execrows
UPDATE orders SET customer_id = @customer_id, vendor_id = @vendor_id, currency = @currency,
    status = @status, items = @items, total = @total, void_reason = @void_reason,
    completed_at = @completed_at, voided_at = @voided_at, metadata = @metadata,
    revision = revision + 1, updated_at = @updated_at
WHERE id = @id AND revision = @revision;

-- name: OrderExists :one
SELECT COUNT(*) FROM orders WHERE id = @id;

-- name: GetOrder :one
SELECT * FROM orders WHERE id = @id;

-- name: ListOrders :many
SELECT * FROM orders
WHERE (CAST(sqlc.narg('customer_id') AS TEXT) IS NULL OR customer_id = sqlc.narg('customer_id'))
  AND (CAST(sqlc.narg('vendor_id') AS TEXT) IS NULL OR vendor_id = sqlc.narg('vendor_id'))
  AND (CAST(sqlc.narg('status') AS TEXT) IS NULL OR status = sqlc.narg('status'))
  AND (CAST(sqlc.narg('party_customer') AS TEXT) IS NULL OR customer_id = sqlc.narg('party_customer'))
  AND (CAST(sqlc.narg('party_vendor') AS TEXT) IS NULL OR vendor_id = sqlc.narg('party_vendor'))
  AND (CAST(sqlc.narg('after_id') AS TEXT) IS NULL
       OR created_at < sqlc.narg('after_created')
       OR (created_at = sqlc.narg('after_created') AND id < sqlc.narg('after_id')))
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg('lim') OFFSET sqlc.arg('off');
