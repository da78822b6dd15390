-- The secrets kept in providers, panels and webhook_endpoints are sealed (package secretbox).
-- This one row holds a known value sealed under the server's key, so that a server started with
-- another key refuses to start instead of failing on the first secret it reads. Portable like
-- 00001. The secret columns keep their type: a sealed value is text, and the server seals the
-- plain-text ones left from before when it starts.

-- +goose Up
CREATE TABLE secret_key_check (
    id     BIGINT PRIMARY KEY CHECK (id = 1),
    sealed TEXT NOT NULL
);

-- +goose Down
DROP TABLE secret_key_check;
