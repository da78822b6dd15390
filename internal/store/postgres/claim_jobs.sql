-- ClaimJobs on PostgreSQL (see sqlstore.Dialect for the parameters and the columns).
--
-- FOR UPDATE SKIP LOCKED lets claimers run side by side: each locks the due rows it picks and
-- passes over those another transaction holds. A row that another claim changed since this
-- statement began is checked again against its WHERE and dropped when no longer due.
--
-- The due jobs come from two ordered halves, as on SQLite: scheduled jobs straight off the
-- jobs_due index, which stops after $5 rows however long the backlog, and abandoned ones (few)
-- sorted. One OR over both states would sort every due job on each claim, and in full: a Limit
-- above LockRows cannot bound the sort (some 18 ms per claim with 40 000 jobs due, against 2).
-- The price: up to $5 rows of the half that loses are locked, unclaimed, until this claim's
-- transaction ends, and other claimers pass over them meanwhile.
--
-- RETURNING gives no order; the store sorts.
WITH scheduled AS (
    SELECT id, run_at FROM jobs
    WHERE state = 'scheduled' AND run_at <= $1 AND kind IN (SELECT jsonb_array_elements_text($4::jsonb))
    ORDER BY run_at, id
    LIMIT $5
    FOR UPDATE SKIP LOCKED
), abandoned AS (
    SELECT id, run_at FROM jobs
    WHERE state = 'running' AND lease_until <= $1 AND kind IN (SELECT jsonb_array_elements_text($4::jsonb))
    ORDER BY run_at, id
    LIMIT $5
    FOR UPDATE SKIP LOCKED
), picked AS (
    SELECT id FROM (SELECT id, run_at FROM scheduled UNION ALL SELECT id, run_at FROM abandoned) AS due
    ORDER BY run_at, id
    LIMIT $5
)
UPDATE jobs
SET state = 'running', attempts = attempts + 1, lease_until = $2, locked_by = $3, updated_at = $1
WHERE id IN (SELECT id FROM picked)
RETURNING id, kind, key, subject, args, state, run_at, attempts, max_attempts, last_error, lease_until,
    locked_by, created_at, updated_at, finished_at
