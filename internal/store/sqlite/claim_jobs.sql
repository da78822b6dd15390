-- ClaimJobs on SQLite (see sqlstore.Dialect for the parameters and the columns). No row locks:
-- SQLite has one writer, and every transaction of the store begins IMMEDIATE, so no two claims
-- run at once. The due jobs are picked as on PostgreSQL, the oldest run_at (then id) first, but
-- from two ordered halves: scheduled jobs straight off the jobs_due index, which stops after
-- $5 rows however long the backlog, and abandoned ones (few) sorted. One OR over both states
-- would sort every due job on each claim. RETURNING gives no order; the store sorts.
UPDATE jobs
SET state = 'running', attempts = attempts + 1, lease_until = $2, locked_by = $3, updated_at = $1
WHERE id IN (
    SELECT id FROM (
        SELECT id, run_at FROM (
            SELECT id, run_at FROM jobs
            WHERE state = 'scheduled' AND run_at <= $1 AND kind IN (SELECT value FROM json_each($4))
            ORDER BY run_at, id
            LIMIT $5
        )
        UNION ALL
        SELECT id, run_at FROM (
            SELECT id, run_at FROM jobs
            WHERE state = 'running' AND lease_until <= $1 AND kind IN (SELECT value FROM json_each($4))
            ORDER BY run_at, id
            LIMIT $5
        )
    )
    ORDER BY run_at, id
    LIMIT $5
)
RETURNING id, kind, key, subject, args, state, run_at, attempts, max_attempts, last_error, lease_until,
    locked_by, created_at, updated_at, finished_at
