-- name: InsertTransaction :execrows
INSERT INTO transactions (id, kind, amount, currency, order_id, customer_id, vendor_id, parent_id,
    dispute_id, provider, provider_reference, arn, card_fingerprint, external, reason,
    amount_refunded, amount_withdrawn, amount_captured, voided, created_at, updated_at,
    customer_ip, device_id, user_agent, billing_address, shipping_address, shipping_carrier,
    tracking_number, card_network, card_last4, account_id, channel)
VALUES (@id, @kind, @amount, @currency, @order_id, @customer_id, @vendor_id, @parent_id,
    @dispute_id, @provider, @provider_reference, @arn, @card_fingerprint, @external, @reason,
    @amount_refunded, @amount_withdrawn, @amount_captured, @voided, @created_at, @updated_at,
    @customer_ip, @device_id, @user_agent, @billing_address, @shipping_address, @shipping_carrier,
    @tracking_number, @card_network, @card_last4, @account_id, @channel)
ON CONFLICT DO NOTHING;

-- AdjustTransaction guards the new running amounts in its WHERE clause, so that concurrent
-- adjustments serialise on the row and none can take it past its amount. Each bound compares a
-- parameter with what is left rather than adding a parameter to a column, so no bound can overflow
-- (PostgreSQL would fail, SQLite would silently switch to floating point); refunded_and_withdrawn
-- is the sum of the two deltas, added with an overflow check by the caller.
-- name: AdjustTransaction :execrows
UPDATE transactions SET
    amount_refunded = amount_refunded + CAST(sqlc.arg('refunded') AS BIGINT),
    amount_withdrawn = amount_withdrawn + CAST(sqlc.arg('withdrawn') AS BIGINT),
    amount_captured = amount_captured + CAST(sqlc.arg('captured') AS BIGINT),
    voided = (voided OR CAST(sqlc.arg('void') AS BOOLEAN)),
    updated_at = CASE WHEN CAST(sqlc.arg('at') AS BIGINT) > updated_at THEN CAST(sqlc.arg('at') AS BIGINT) ELSE updated_at END
WHERE id = @id
  AND CAST(sqlc.arg('refunded') AS BIGINT) >= -amount_refunded
  AND CAST(sqlc.arg('withdrawn') AS BIGINT) >= -amount_withdrawn
  AND CAST(sqlc.arg('refunded_and_withdrawn') AS BIGINT) <= amount - amount_refunded - amount_withdrawn
  AND CAST(sqlc.arg('captured') AS BIGINT) >= -amount_captured
  AND CAST(sqlc.arg('captured') AS BIGINT) <= amount - amount_captured
  AND NOT (voided AND CAST(sqlc.arg('void') AS BOOLEAN));

-- name: TransactionExists :one
SELECT COUNT(*) FROM transactions WHERE id = @id;

-- name: GetTransaction :one
SELECT * FROM transactions WHERE id = @id;

-- name: FindTransaction :one
SELECT * FROM transactions
WHERE provider_reference = @reference
  AND (CAST(sqlc.narg('provider') AS TEXT) IS NULL OR provider = sqlc.narg('provider'))
ORDER BY created_at, id
LIMIT 1;

-- name: FindTransactionByARN :one
SELECT * FROM transactions
WHERE arn = @arn AND arn <> '' AND kind IN ('charge', 'capture')
ORDER BY created_at, id
LIMIT 1;

-- name: ChildTransactions :many
SELECT * FROM transactions WHERE parent_id = @parent_id AND parent_id <> '' ORDER BY created_at, id;

-- name: TransactionsOfOrder :many
SELECT * FROM transactions WHERE order_id = @order_id AND order_id <> '' ORDER BY created_at, id;

-- CardCharges: the charges and captures of one card created in [from, to) and not refunded in
-- full, newest first, at most max. A transaction is the card's when its own card_fingerprint names it, or, recorded without
-- one, when its order's does; both halves read through an index (transactions_card, orders_card
-- then transactions_order). disputed: a dispute names the transaction (or its order, naming no
-- payment), other than a fraud report; fraud_reported: a TC40 or SAFE alert names it.
-- name: CardCharges :many
SELECT sqlc.embed(transactions),
    EXISTS (SELECT 1 FROM disputes
            WHERE (disputes.transaction_id = transactions.id
                   OR disputes.transaction_id = '' AND transactions.order_id <> '' AND disputes.order_id = transactions.order_id)
              AND NOT (disputes.type = 'alert' AND disputes.alert_type IN ('tc40', 'safe'))) AS disputed,
    EXISTS (SELECT 1 FROM disputes
            WHERE disputes.transaction_id = transactions.id
              AND disputes.type = 'alert' AND disputes.alert_type IN ('tc40', 'safe')) AS fraud_reported
FROM transactions
WHERE transactions.id IN (
        SELECT own.id FROM transactions AS own
        WHERE own.card_fingerprint = @fingerprint AND own.created_at >= @from_at AND own.created_at < @to_at
        UNION ALL
        SELECT theirs.id FROM orders JOIN transactions AS theirs ON theirs.order_id = orders.id AND theirs.order_id <> ''
        WHERE orders.card_fingerprint = @fingerprint AND theirs.card_fingerprint = ''
          AND theirs.created_at >= @from_at AND theirs.created_at < @to_at)
  AND transactions.kind IN ('charge', 'capture') AND transactions.amount_refunded < transactions.amount
ORDER BY transactions.created_at DESC, transactions.id DESC
LIMIT @max_rows;
