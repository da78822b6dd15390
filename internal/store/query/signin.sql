-- name: CountSignInAttempt :one
-- One more attempt for (email, address), unless it is locked: then no row is written or returned.
-- On PostgreSQL the conflicting row stays locked until the transaction ends, so concurrent
-- attempts are counted one after the other.
INSERT INTO signin_failures (email, address, failures, locked_until, updated_at)
VALUES (@email, @address, 1, 0, @now)
ON CONFLICT (email, address) DO UPDATE
    SET failures = signin_failures.failures + 1, updated_at = excluded.updated_at
    WHERE signin_failures.locked_until <= excluded.updated_at
RETURNING *;

-- name: LockSignIn :execrows
UPDATE signin_failures SET locked_until = @locked_until WHERE email = @email AND address = @address;

-- name: GetSignInFailures :one
SELECT * FROM signin_failures WHERE email = @email AND address = @address;

-- name: DeleteSignInFailures :execrows
DELETE FROM signin_failures WHERE email = @email AND address = @address;

-- name: PurgeSignInFailures :execrows
DELETE FROM signin_failures WHERE updated_at < @before AND locked_until < @before;

-- name: ListSignInLocks :many
SELECT * FROM signin_failures WHERE locked_until > @now
ORDER BY locked_until DESC, email, address
LIMIT @lim;

-- name: InsertSetupToken :execrows
INSERT INTO setup_tokens (hash, created_at) VALUES (@hash, @created_at)
ON CONFLICT DO NOTHING;

-- name: SetupTokenExists :one
SELECT COUNT(*) FROM setup_tokens WHERE hash = @hash;

-- name: DeleteSetupTokens :execrows
DELETE FROM setup_tokens;
