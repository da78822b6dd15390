-- name: SaveSettings :exec
-- created_at is written once, by the first save; later saves keep it.
INSERT INTO settings (id, block_on_dispute, merchant_name, reminder_offsets, emails_off,
    evidence_limits, extended_fields, app_self_registration, product_type, website, support_email,
    support_phone, terms_url, refund_policy, refund_policy_disclosure, cancellation_policy,
    cancellation_policy_disclosure, compile_manually, created_at, updated_at, reporting_currency, alert_refund_windows, fee_table, handling_cost, monitoring_programs, monitoring_approach, order_metadata_key)
VALUES (1, @block_on_dispute, @merchant_name, @reminder_offsets, @emails_off,
    @evidence_limits, @extended_fields, @app_self_registration, @product_type, @website, @support_email,
    @support_phone, @terms_url, @refund_policy, @refund_policy_disclosure, @cancellation_policy,
    @cancellation_policy_disclosure, @compile_manually, @created_at, @updated_at, @reporting_currency, @alert_refund_windows, @fee_table, @handling_cost, @monitoring_programs, @monitoring_approach, @order_metadata_key)
ON CONFLICT (id) DO UPDATE SET block_on_dispute = excluded.block_on_dispute,
    merchant_name = excluded.merchant_name, reminder_offsets = excluded.reminder_offsets,
    emails_off = excluded.emails_off, evidence_limits = excluded.evidence_limits,
    extended_fields = excluded.extended_fields, app_self_registration = excluded.app_self_registration,
    product_type = excluded.product_type, website = excluded.website, support_email = excluded.support_email,
    support_phone = excluded.support_phone, terms_url = excluded.terms_url, refund_policy = excluded.refund_policy,
    refund_policy_disclosure = excluded.refund_policy_disclosure, cancellation_policy = excluded.cancellation_policy,
    cancellation_policy_disclosure = excluded.cancellation_policy_disclosure,
    compile_manually = excluded.compile_manually, updated_at = excluded.updated_at,
    reporting_currency = excluded.reporting_currency,
    alert_refund_windows = excluded.alert_refund_windows,
    fee_table = excluded.fee_table, handling_cost = excluded.handling_cost,
    monitoring_programs = excluded.monitoring_programs, monitoring_approach = excluded.monitoring_approach,
    order_metadata_key = excluded.order_metadata_key;

-- name: GetSettings :one
SELECT block_on_dispute, merchant_name, reminder_offsets, emails_off, evidence_limits, extended_fields,
    app_self_registration, product_type, website, support_email, support_phone, terms_url, refund_policy,
    refund_policy_disclosure, cancellation_policy, cancellation_policy_disclosure, compile_manually,
    created_at, updated_at, reporting_currency, alert_refund_windows, fee_table, handling_cost,
    monitoring_programs, monitoring_approach, order_metadata_key
FROM settings WHERE id = 1;
