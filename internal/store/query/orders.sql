-- name: InsertOrder :execrows
INSERT INTO orders (id, customer_id, vendor_id, currency, status, items, total, void_reason,
    completed_at, voided_at, metadata, revision, created_at, updated_at,
    customer_ip, device_id, user_agent, billing_address, shipping_address, shipping_carrier,
    tracking_number, card_fingerprint, card_network, card_last4, account_id)
VALUES (@id, @customer_id, @vendor_id, @currency, @status, @items, @total, @void_reason,
    @completed_at, @voided_at, @metadata, @revision, @created_at, @updated_at,
    @customer_ip, @device_id, @user_agent, @billing_address, @shipping_address, @shipping_carrier,
    @tracking_number, @card_fingerprint, @card_network, @card_last4, @account_id)
ON CONFLICT DO NOTHING;

-- name: UpdateOrder :execrows
UPDATE orders SET customer_id = @customer_id, vendor_id = @vendor_id, currency = @currency,
    status = @status, items = @items, total = @total, void_reason = @void_reason,
    completed_at = @completed_at, voided_at = @voided_at, metadata = @metadata,
    customer_ip = @customer_ip, device_id = @device_id, user_agent = @user_agent,
    billing_address = @billing_address, shipping_address = @shipping_address,
    shipping_carrier = @shipping_carrier, tracking_number = @tracking_number,
    card_fingerprint = @card_fingerprint, card_network = @card_network, card_last4 = @card_last4,
    account_id = @account_id,
    revision = revision + 1, updated_at = @updated_at
WHERE id = @id AND revision = @revision;

-- name: OrderExists :one
SELECT COUNT(*) FROM orders WHERE id = @id;

-- name: GetOrder :one
SELECT * FROM orders WHERE id = @id;
