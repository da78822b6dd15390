-- name: SaveSettings :exec
-- created_at is written once, by the first save; later saves keep it.
INSERT INTO settings (id, block_on_dispute, merchant_name, reminder_offsets, emails_off,
    evidence_limits, extended_fields, app_self_registration, created_at, updated_at)
VALUES (1, @block_on_dispute, @merchant_name, @reminder_offsets, @emails_off,
    @evidence_limits, @extended_fields, @app_self_registration, @created_at, @updated_at)
ON CONFLICT (id) DO UPDATE SET block_on_dispute = excluded.block_on_dispute,
    merchant_name = excluded.merchant_name, reminder_offsets = excluded.reminder_offsets,
    emails_off = excluded.emails_off, evidence_limits = excluded.evidence_limits,
    extended_fields = excluded.extended_fields, app_self_registration = excluded.app_self_registration,
    updated_at = excluded.updated_at;

-- name: GetSettings :one
SELECT block_on_dispute, merchant_name, reminder_offsets, emails_off, evidence_limits, extended_fields,
    app_self_registration, created_at, updated_at
FROM settings WHERE id = 1;
