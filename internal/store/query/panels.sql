-- name: InsertPanel :execrows
INSERT INTO panels (name, type, base_url, secret, timeout_ms, capabilities, created_at, updated_at)
VALUES (@name, @type, @base_url, @secret, @timeout_ms, @capabilities, @created_at, @updated_at)
ON CONFLICT DO NOTHING;

-- name: DeletePanel :execrows
DELETE FROM panels WHERE name = @name;

-- name: GetPanel :one
SELECT * FROM panels WHERE name = @name;

-- name: ListPanels :many
SELECT * FROM panels ORDER BY name;

-- name: PanelInUse :one
SELECT COUNT(*) FROM lines WHERE panel = @panel AND state <> 'terminated';
