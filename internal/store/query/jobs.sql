-- name: ScheduleJob :one
-- A new job, or, when a scheduled job has the same key, that job moved. The NOT EXISTS makes a
-- taken id insert nothing (the store reports ErrConflict) instead of raising a unique violation,
-- which would spoil the whole transaction on PostgreSQL. The conflict target repeats the partial
-- index's predicate, which is how both databases pick a partial unique index as the arbiter.
INSERT INTO jobs (id, kind, key, subject, args, state, run_at, attempts, max_attempts, last_error,
    locked_by, created_at, updated_at)
SELECT CAST(@id AS TEXT), CAST(@kind AS TEXT), CAST(@key AS TEXT), CAST(@subject AS TEXT), CAST(@args AS TEXT), 'scheduled',
    CAST(@run_at AS BIGINT), 0, CAST(@max_attempts AS BIGINT), '', '',
    CAST(@created_at AS BIGINT), CAST(@updated_at AS BIGINT)
WHERE NOT EXISTS (SELECT 1 FROM jobs AS taken WHERE taken.id = @id)
ON CONFLICT (key) WHERE state = 'scheduled' AND key <> '' DO UPDATE SET
    kind = excluded.kind, subject = excluded.subject, args = excluded.args, run_at = excluded.run_at,
    max_attempts = excluded.max_attempts, attempts = 0, last_error = '',
    updated_at = excluded.updated_at
RETURNING *;

-- name: GetJob :one
SELECT * FROM jobs WHERE id = @id;

-- name: JobExists :one
SELECT COUNT(*) FROM jobs WHERE id = @id;

-- name: CancelJobs :execrows
-- Equality on subject, so that the jobs_subject index answers it; its predicate is repeated for
-- the planners to pick the partial index.
UPDATE jobs SET state = 'cancelled', finished_at = CAST(@now AS BIGINT), updated_at = @now
WHERE state = 'scheduled' AND subject = CAST(@subject AS TEXT) AND subject <> '';

-- name: FinishJobDone :execrows
UPDATE jobs SET state = 'done', finished_at = CAST(@now AS BIGINT), lease_until = NULL, locked_by = '', updated_at = @now
WHERE id = @id AND state = 'running' AND locked_by = @runner AND attempts = @attempt;

-- name: FinishJobDead :execrows
UPDATE jobs SET state = 'dead', last_error = @last_error, finished_at = CAST(@now AS BIGINT), lease_until = NULL,
    locked_by = '', updated_at = @now
WHERE id = @id AND state = 'running' AND locked_by = @runner AND attempts = @attempt;

-- name: FinishJobRetry :execrows
-- Scheduled again, unless a scheduled job with the same key was added while this one ran: that
-- one supersedes it (SupersedeJob), and the unique index would refuse a second one.
UPDATE jobs SET state = 'scheduled', run_at = @run_at, last_error = @last_error, lease_until = NULL,
    locked_by = '', updated_at = @now
WHERE jobs.id = @id AND jobs.state = 'running' AND jobs.locked_by = @runner AND jobs.attempts = @attempt
  AND (jobs.key = '' OR NOT EXISTS (SELECT 1 FROM jobs AS newer WHERE newer.key = jobs.key AND newer.state = 'scheduled'));

-- name: ReleaseJob :execrows
UPDATE jobs SET state = 'scheduled', run_at = @now, attempts = attempts - 1, lease_until = NULL,
    locked_by = '', updated_at = @now
WHERE jobs.id = @id AND jobs.state = 'running' AND jobs.locked_by = @runner AND jobs.attempts = @attempt
  AND (jobs.key = '' OR NOT EXISTS (SELECT 1 FROM jobs AS newer WHERE newer.key = jobs.key AND newer.state = 'scheduled'));

-- name: SupersedeJob :execrows
-- Ends a claim whose job would go back to scheduled while another scheduled job has its key.
-- A NULL last_error keeps the stored one.
UPDATE jobs SET state = 'cancelled', attempts = @attempts,
    last_error = COALESCE(sqlc.narg('last_error'), last_error), finished_at = CAST(@now AS BIGINT),
    lease_until = NULL, locked_by = '', updated_at = @now
WHERE id = @id AND state = 'running' AND locked_by = @runner AND attempts = @attempt;

-- name: RetryJob :one
UPDATE jobs SET state = 'scheduled', attempts = 0, run_at = @now, finished_at = NULL,
    lease_until = NULL, locked_by = '', updated_at = @now
WHERE jobs.id = @id AND jobs.state = 'dead'
  AND (jobs.key = '' OR NOT EXISTS (SELECT 1 FROM jobs AS newer WHERE newer.key = jobs.key AND newer.state = 'scheduled'))
RETURNING *;

-- name: PurgeJobs :execrows
-- Finished history only: dead jobs stay until an admin retries them.
DELETE FROM jobs WHERE state IN ('done', 'cancelled') AND finished_at < @before;
