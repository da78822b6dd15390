-- name: InsertWebhookEndpoint :execrows
INSERT INTO webhook_endpoints (id, url, description, events, secret, previous_secret, previous_until,
    enabled, disabled_reason, failure_streak, disable_after, app_id, created_at, updated_at)
VALUES (@id, @url, @description, @events, @secret, @previous_secret, @previous_until, @enabled,
    @disabled_reason, @failure_streak, @disable_after, @app_id, @created_at, @updated_at)
ON CONFLICT DO NOTHING;

-- name: UpdateWebhookEndpoint :execrows
UPDATE webhook_endpoints SET url = @url, description = @description, events = @events,
    secret = @secret, previous_secret = @previous_secret, previous_until = @previous_until,
    enabled = @enabled, disabled_reason = @disabled_reason, failure_streak = @failure_streak,
    disable_after = @disable_after, updated_at = @updated_at
WHERE id = @id;

-- name: DeleteWebhookEndpoint :execrows
DELETE FROM webhook_endpoints WHERE id = @id;

-- name: GetWebhookEndpoint :one
SELECT * FROM webhook_endpoints WHERE id = @id;

-- name: ListWebhookEndpoints :many
SELECT * FROM webhook_endpoints ORDER BY created_at DESC, id DESC;

-- name: InsertWebhookDelivery :execrows
INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, state, attempts, last_status,
    last_error, created_at, updated_at, delivered_at)
VALUES (@id, @endpoint_id, @event_id, @event_type, @state, @attempts, @last_status, @last_error,
    @created_at, @updated_at, @delivered_at)
ON CONFLICT DO NOTHING;

-- name: UpdateWebhookDelivery :execrows
UPDATE webhook_deliveries SET state = @state, attempts = @attempts, last_status = @last_status,
    last_error = @last_error, updated_at = @updated_at, delivered_at = @delivered_at
WHERE id = @id;

-- name: GetWebhookDelivery :one
SELECT * FROM webhook_deliveries WHERE id = @id;

-- name: InsertWebhookAttempt :execrows
INSERT INTO webhook_attempts (id, delivery_id, status, latency_ms, response, error, created_at)
VALUES (@id, @delivery_id, @status, @latency_ms, @response, @error, @created_at)
ON CONFLICT DO NOTHING;

-- name: ListWebhookAttempts :many
SELECT * FROM webhook_attempts WHERE delivery_id = @delivery_id ORDER BY created_at, id;

-- name: CountWebhookOutcome :one
-- One statement, so that concurrent deliveries and an admin's change to the endpoint cannot
-- undo each other: a success ends the run of failures; a failure lengthens it and disables the
-- endpoint when it reaches disable_after.
UPDATE webhook_endpoints SET
    failure_streak = CASE WHEN CAST(@ok AS BOOLEAN) THEN 0 ELSE failure_streak + 1 END,
    enabled = CASE WHEN CAST(@ok AS BOOLEAN) OR failure_streak + 1 < disable_after THEN enabled ELSE FALSE END,
    disabled_reason = CASE WHEN CAST(@ok AS BOOLEAN) OR failure_streak + 1 < disable_after OR NOT enabled
        THEN disabled_reason ELSE @reason END,
    updated_at = @updated_at
WHERE id = @id
RETURNING enabled;
