-- name: InsertDispute :execrows
INSERT INTO disputes (id, type, alert_type, status, stage, reason, network_reason_code,
    description, amount, currency, order_id, transaction_id, customer_id, vendor_id, initiated_by,
    provider, provider_dispute_id, case_number, arn, external_reference, happened_at, due_by,
    evidence, evidence_items, submission_count, resolution, resolution_notes, resolved_by,
    resolved_at, revision, tags, metadata, livemode, is_open, search, created_at, updated_at,
    submission_state, submission, fees, provider_has_evidence, accepted_at, defended_at, auto_defended, channel,
    seller_protection, provider_charge, provider_payment_intent, extended_fields)
VALUES (@id, @type, @alert_type, @status, @stage, @reason, @network_reason_code,
    @description, @amount, @currency, @order_id, @transaction_id, @customer_id, @vendor_id, @initiated_by,
    @provider, @provider_dispute_id, @case_number, @arn, @external_reference, @happened_at, @due_by,
    @evidence, @evidence_items, @submission_count, @resolution, @resolution_notes, @resolved_by,
    @resolved_at, @revision, @tags, @metadata, @livemode, @is_open, @search, @created_at, @updated_at,
    @submission_state, @submission, @fees, @provider_has_evidence, @accepted_at, @defended_at, @auto_defended, @channel,
    @seller_protection, @provider_charge, @provider_payment_intent, @extended_fields)
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
    is_open = @is_open, search = @search, updated_at = @updated_at,
    submission_state = @submission_state, submission = @submission, fees = @fees,
    provider_has_evidence = @provider_has_evidence, accepted_at = @accepted_at,
    defended_at = @defended_at, auto_defended = @auto_defended, channel = @channel,
    seller_protection = @seller_protection, provider_charge = @provider_charge,
    provider_payment_intent = @provider_payment_intent, extended_fields = @extended_fields
WHERE id = @id AND revision = @expected_revision;

-- name: DisputeExists :one
SELECT COUNT(*) FROM disputes WHERE id = @id;

-- name: DeleteDisputeTags :exec
DELETE FROM dispute_tags WHERE dispute_id = @dispute_id;

-- A tag given twice is one row. created_at is the dispute's, for the tag's index.
-- name: InsertDisputeTag :exec
INSERT INTO dispute_tags (dispute_id, tag, created_at) VALUES (@dispute_id, @tag, @created_at)
ON CONFLICT DO NOTHING;

-- name: GetDispute :one
SELECT * FROM disputes WHERE id = @id;

-- name: OpenDisputeOfOrder :one
SELECT * FROM disputes WHERE order_id = @order_id AND is_open;
