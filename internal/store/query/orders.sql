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
