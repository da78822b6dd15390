-- name: InsertDispute :execrows
INSERT INTO disputes (id, type, alert_type, status, stage, reason, network_reason_code,
    description, amount, currency, order_id, transaction_id, customer_id, vendor_id, initiated_by,
    provider, provider_dispute_id, case_number, arn, external_reference, happened_at, due_by,
    evidence, evidence_items, submission_count, resolution, resolution_notes, resolved_by,
    resolved_at, revision, tags, metadata, livemode, is_open, search, created_at, updated_at)
VALUES (@id, @type, @alert_type, @status, @stage, @reason, @network_reason_code,
    @description, @amount, @currency, @order_id, @transaction_id, @customer_id, @vendor_id, @initiated_by,
    @provider, @provider_dispute_id, @case_number, @arn, @external_reference, @happened_at, @due_by,
    @evidence, @evidence_items, @submission_count, @resolution, @resolution_notes, @resolved_by,
    @resolved_at, @revision, @tags, @metadata, @livemode, @is_open, @search, @created_at, @updated_at)
ON CONFLICT DO NOTHING;

-- name: UpdateDispute :execrows
UPDATE disputes SET type = @type, alert_type = @alert_type, status = @status, stage = @stage,
    reason = @reason, network_reason_code = @network_reason_code, description = @description,
    amount = @amount, currency = @currency, order_id = @order_id, transaction_id = @transaction_id,
    customer_id = @customer_id, vendor_id = @vendor_id, initiated_by = @initiated_by,
    provider = @provider, provider_dispute_id = @provider_dispute_id, case_number = @case_number,
    arn = @arn, external_reference = @external_reference, happened_at = @happened_at,
    due_by = @due_by, evidence = @evidence, evidence_items = @evidence_items,
    submission_count = @submission_count, resolution = @resolution,
    resolution_notes = @resolution_notes, resolved_by = @resolved_by, resolved_at = @resolved_at,
    revision = @revision, tags = @tags, metadata = @metadata, livemode = @livemode,
    is_open = @is_open, search = @search, updated_at = @updated_at
WHERE id = @id AND revision = @expected_revision;

-- name: DisputeExists :one
SELECT COUNT(*) FROM disputes WHERE id = @id;

-- name: DeleteDisputeTags :exec
DELETE FROM dispute_tags WHERE dispute_id = @dispute_id;

-- A tag given twice is one row.
-- name: InsertDisputeTag :exec
INSERT INTO dispute_tags (dispute_id, tag) VALUES (@dispute_id, @tag)
ON CONFLICT DO NOTHING;

-- name: GetDispute :one
SELECT * FROM disputes WHERE id = @id;

-- name: OpenDisputeOfOrder :one
SELECT * FROM disputes WHERE order_id = @order_id AND is_open;

-- name: ListDisputes :many
SELECT * FROM disputes
WHERE (CAST(sqlc.narg('status') AS TEXT) IS NULL OR status = sqlc.narg('status'))
  AND (CAST(sqlc.narg('type') AS TEXT) IS NULL OR type = sqlc.narg('type'))
  AND (CAST(sqlc.narg('order_id') AS TEXT) IS NULL OR order_id = sqlc.narg('order_id'))
  AND (CAST(sqlc.narg('transaction_id') AS TEXT) IS NULL OR transaction_id = sqlc.narg('transaction_id'))
  AND (CAST(sqlc.narg('customer_id') AS TEXT) IS NULL OR customer_id = sqlc.narg('customer_id'))
  AND (CAST(sqlc.narg('due_before') AS BIGINT) IS NULL OR due_by < sqlc.narg('due_before'))
  AND (CAST(sqlc.narg('tag') AS TEXT) IS NULL
       OR EXISTS (SELECT 1 FROM dispute_tags t WHERE t.dispute_id = disputes.id AND t.tag = sqlc.narg('tag')))
  AND (CAST(sqlc.narg('search') AS TEXT) IS NULL OR search LIKE sqlc.narg('search') ESCAPE '\')
  AND (CAST(sqlc.narg('party') AS TEXT) IS NULL OR customer_id = sqlc.narg('party') OR vendor_id = sqlc.narg('party'))
  AND (CAST(sqlc.narg('after_id') AS TEXT) IS NULL
       OR created_at < sqlc.narg('after_created')
       OR (created_at = sqlc.narg('after_created') AND id < sqlc.narg('after_id')))
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg('lim') OFFSET sqlc.arg('off');
