-- name: InsertCustomer :execrows
INSERT INTO customers (id, email, name, external_id, metadata, created_at, updated_at)
VALUES (@id, @email, @name, @external_id, @metadata, @created_at, @updated_at)
ON CONFLICT DO NOTHING;

-- name: GetCustomer :one
SELECT * FROM customers WHERE id = @id;
