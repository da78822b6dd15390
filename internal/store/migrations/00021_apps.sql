-- Dispute-service apps (OAuth 2.0 clients the merchant lets in) and the grants their OAuth flow
-- keeps: authorization codes, access and refresh tokens, and PKCE challenges. Portable like 00001.

-- +goose Up
CREATE TABLE apps (
    id            TEXT PRIMARY KEY, -- the OAuth client id
    name          TEXT NOT NULL,
    -- hex SHA-256 of the client secret, which is shown once; like API keys, a random secret of
    -- 256 bits needs no slow hash.
    secret_hash   TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,    -- JSON array of exact URIs
    scopes        TEXT NOT NULL,    -- the scopes it may ask for, space-separated
    registered_by TEXT NOT NULL,    -- the actor who registered it ("self" for self-registration)
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT            -- the last API call made with one of its tokens
);
CREATE INDEX apps_created ON apps (created_at DESC, id DESC);

-- One row per code, token or PKCE challenge, keyed by its signature (a token itself is never
-- kept). request_id ties together what one consent produced, so that a refresh or a revocation
-- ends the whole grant.
CREATE TABLE oauth_grants (
    signature        TEXT NOT NULL,
    kind             TEXT NOT NULL, -- code | access | refresh | pkce
    request_id       TEXT NOT NULL,
    app_id           TEXT NOT NULL,
    user_id          TEXT NOT NULL, -- the admin who approved
    requested_scopes TEXT NOT NULL,
    granted_scopes   TEXT NOT NULL,
    form             TEXT NOT NULL, -- the request's parameters, URL-encoded (PKCE's challenge)
    requested_at     BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    active           BOOLEAN NOT NULL,
    PRIMARY KEY (kind, signature)
);
CREATE INDEX oauth_grants_request ON oauth_grants (request_id);
CREATE INDEX oauth_grants_app ON oauth_grants (app_id);
CREATE INDEX oauth_grants_expiry ON oauth_grants (expires_at);

-- An app's own webhook endpoints: it sees and manages only those, and they go with it.
ALTER TABLE webhook_endpoints ADD COLUMN app_id TEXT NOT NULL DEFAULT '';

-- What an actor did (an app's page lists its actions).
CREATE INDEX timeline_actor ON timeline (actor, created_at, id);

-- Whether apps may register themselves (POST /v1/apps without a key).
ALTER TABLE settings ADD COLUMN app_self_registration BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
DROP INDEX timeline_actor;
ALTER TABLE settings DROP COLUMN app_self_registration;
ALTER TABLE webhook_endpoints DROP COLUMN app_id;
DROP TABLE oauth_grants;
DROP TABLE apps;
