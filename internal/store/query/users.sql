-- name: InsertUser :execrows
INSERT INTO users (id, email, password_hash, role, party_id, disabled_at, created_at, updated_at)
VALUES (@id, @email, @password_hash, @role, @party_id, @disabled_at, @created_at, @updated_at)
ON CONFLICT DO NOTHING;

-- name: UpdateUser :execrows
UPDATE users SET password_hash = @password_hash, role = @role, party_id = @party_id,
    disabled_at = @disabled_at, updated_at = @updated_at
WHERE id = @id;

-- name: DeleteUser :execrows
DELETE FROM users WHERE id = @id;

-- name: GetUser :one
SELECT * FROM users WHERE id = @id;

-- name: GetUserByEmail :one
SELECT * FROM users WHERE email = @email;

-- name: CountUsersWithRole :one
SELECT COUNT(*) FROM users WHERE role = @role;

-- name: ListUsers :many
SELECT * FROM users ORDER BY email;

-- name: InsertSession :execrows
INSERT INTO sessions (id, user_id, csrf, created_at, expires_at)
VALUES (@id, @user_id, @csrf, @created_at, @expires_at)
ON CONFLICT DO NOTHING;

-- name: GetSession :one
SELECT * FROM sessions WHERE id = @id;

-- name: DeleteSession :execrows
DELETE FROM sessions WHERE id = @id;

-- name: DeleteSessionsOfUser :execrows
DELETE FROM sessions WHERE user_id = @user_id;

-- name: PurgeSessions :execrows
DELETE FROM sessions WHERE expires_at < @before;
