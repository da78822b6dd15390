-- Sign-in hardening. Failed sign-ins are counted per email as typed and per client address, in
-- their own table, so that an attempt is counted atomically before its password is hashed, an
-- unknown email is counted like a real one, and nobody can lock an account out from another
-- address; the users' own counters go. Users can be disabled. The first admin needs a one-time
-- setup token that the server prints at start. Portable like 00001.

-- +goose Up
CREATE TABLE signin_failures (
    -- email is lower-cased as typed, whether or not a user has it; address is the client's (IPv6
    -- by /64).
    email        TEXT NOT NULL,
    address      TEXT NOT NULL,
    -- failures counts the attempts since the last success, each counted before its password is
    -- checked; locked_until (Unix ms, 0 when never locked) refuses attempts until then.
    failures     BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (email, address)
);
CREATE INDEX signin_failures_locked ON signin_failures (locked_until);
CREATE INDEX signin_failures_updated ON signin_failures (updated_at);

-- A setup token's SHA-256: while no admin user exists, each server start adds one and prints the
-- token; creating the first admin deletes them all.
CREATE TABLE setup_tokens (
    hash       TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

-- disabled_at is when an admin disabled the user (null while enabled): no sign-in, no session.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
ALTER TABLE users DROP COLUMN locked_until;
ALTER TABLE users DROP COLUMN failed_logins;

-- +goose Down
ALTER TABLE users ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until BIGINT;
ALTER TABLE users DROP COLUMN disabled_at;
DROP TABLE setup_tokens;
DROP INDEX signin_failures_updated;
DROP INDEX signin_failures_locked;
DROP TABLE signin_failures;
