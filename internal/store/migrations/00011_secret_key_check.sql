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

-- Answers kept for an Idempotency-Key before: those that showed a secret once (a new API key, a
-- webhook endpoint's secret) hold it in plain text. They are dropped as if the server had stopped
-- before storing them: a repeat answers 409 idempotency_outcome_unknown and never runs again.
-- body is BYTEA: SQLite reads it as text once cast (its LIKE skips blobs); PostgreSQL's cast
-- writes the bytes in hex, hence the second pattern, the hex of "secret":" (a match across two
-- hex digits would only make a repeat answer 409 instead of the first answer).
UPDATE idempotency_keys SET status = 0, body = NULL
WHERE CAST(body AS TEXT) LIKE '%"secret":"%' OR CAST(body AS TEXT) LIKE '%22736563726574223a22%';

-- +goose Down
DROP TABLE secret_key_check;
