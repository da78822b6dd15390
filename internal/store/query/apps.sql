-- name: InsertApp :execrows
INSERT INTO apps (id, name, secret_hash, redirect_uris, scopes, registered_by, created_at, last_used_at)
VALUES (@id, @name, @secret_hash, @redirect_uris, @scopes, @registered_by, @created_at, @last_used_at)
ON CONFLICT DO NOTHING;

-- name: GetApp :one
SELECT * FROM apps WHERE id = @id;

-- name: ListApps :many
SELECT * FROM apps ORDER BY created_at DESC, id DESC;

-- name: DeleteApp :execrows
DELETE FROM apps WHERE id = @id;

-- name: TouchApp :exec
-- Only moves last_used_at forward, and at most once a minute: every API call of an app would
-- otherwise be a write.
UPDATE apps SET last_used_at = @at
WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @stale_before);

-- name: InsertOAuthGrant :execrows
INSERT INTO oauth_grants (signature, kind, request_id, app_id, user_id, requested_scopes,
    granted_scopes, form, requested_at, expires_at, active)
VALUES (@signature, @kind, @request_id, @app_id, @user_id, @requested_scopes, @granted_scopes,
    @form, @requested_at, @expires_at, @active)
ON CONFLICT DO NOTHING;

-- name: GetOAuthGrant :one
SELECT * FROM oauth_grants WHERE kind = @kind AND signature = @signature;

-- name: DeleteOAuthGrant :execrows
DELETE FROM oauth_grants WHERE kind = @kind AND signature = @signature;

-- name: DeactivateOAuthGrant :execrows
UPDATE oauth_grants SET active = FALSE WHERE kind = @kind AND signature = @signature;

-- name: DeactivateOAuthRequest :execrows
UPDATE oauth_grants SET active = FALSE WHERE kind = @kind AND request_id = @request_id;

-- name: DeleteOAuthRequest :execrows
DELETE FROM oauth_grants WHERE kind = @kind AND request_id = @request_id;

-- name: DeleteOAuthGrantsOfApp :execrows
DELETE FROM oauth_grants WHERE app_id = @app_id;

-- name: CountOAuthGrantsOfApp :one
-- The access and refresh tokens that still work: how many connections the app holds.
SELECT COUNT(DISTINCT request_id) FROM oauth_grants
WHERE app_id = @app_id AND kind IN ('access', 'refresh') AND active AND expires_at > @now;

-- name: PurgeOAuthGrants :execrows
DELETE FROM oauth_grants WHERE expires_at < @before;

-- name: DeleteWebhookEndpointsOfApp :execrows
DELETE FROM webhook_endpoints WHERE app_id = @app_id;
