-- People who sign in to the web UI, and their sessions. Portable like 00001.

-- +goose Up
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    -- email is kept lower-cased, so that the unique index is case-insensitive on both databases.
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    party_id      TEXT NOT NULL DEFAULT '',
    -- failed_logins counts failed sign-ins since the last success; locked_until holds the next
    -- attempt back once there were too many.
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until  BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE sessions (
    -- id is the SHA-256 of the cookie's token: a copy of this table signs no one in.
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- +goose Down
DROP TABLE sessions;
DROP TABLE users;
