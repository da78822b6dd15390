-- name: InsertProviderImport :execrows
INSERT INTO provider_imports (id, provider, since, state, cursor, read, appended, error, started_by,
    started_at, updated_at, finished_at)
VALUES (@id, @provider, @since, @state, @cursor, @read, @appended, @error, @started_by,
    @started_at, @updated_at, @finished_at)
ON CONFLICT DO NOTHING;

-- Only a running import moves: a page written by a run after another run ended it changes nothing.
-- name: UpdateProviderImport :execrows
UPDATE provider_imports SET state = @state, cursor = @cursor, read = @read, appended = @appended,
    error = @error, updated_at = @updated_at, finished_at = @finished_at
WHERE id = @id AND state = 'running';

-- name: GetProviderImport :one
SELECT * FROM provider_imports WHERE id = @id;

-- name: RunningProviderImports :many
SELECT * FROM provider_imports WHERE state = 'running' ORDER BY started_at, id;

-- name: ProviderImportExists :one
SELECT COUNT(*) FROM provider_imports WHERE id = @id;
