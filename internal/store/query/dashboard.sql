-- OpenDisputeStats counts the open disputes per type, status and currency, with their amount
-- and how many are due by when: overdue (due_by <= now), within 24 hours, within 24 to 72 hours.
-- The amount is summed in two parts, by 2^32 and its remainder (money.SplitBase), which never
-- overflow: a plain SUM of amounts past the int64 range fails on both databases.
-- name: OpenDisputeStats :many
SELECT type, status, currency,
  CAST(COUNT(*) AS BIGINT) AS n,
  CAST(SUM(amount / 4294967296) AS BIGINT) AS amount_high,
  CAST(SUM(amount % 4294967296) AS BIGINT) AS amount_low,
  CAST(SUM(CASE WHEN due_by <= sqlc.arg('now') THEN 1 ELSE 0 END) AS BIGINT) AS overdue,
  CAST(SUM(CASE WHEN due_by > sqlc.arg('now') AND due_by < sqlc.arg('in24') THEN 1 ELSE 0 END) AS BIGINT) AS due24,
  CAST(SUM(CASE WHEN due_by >= sqlc.arg('in24') AND due_by < sqlc.arg('in72') THEN 1 ELSE 0 END) AS BIGINT) AS due72
FROM disputes
WHERE is_open
GROUP BY type, status, currency
ORDER BY type, status, currency;

-- DisputeOutcomes counts the disputes that ended at or after a time, per type, status and resolution.
-- name: DisputeOutcomes :many
SELECT type, status, resolution, CAST(COUNT(*) AS BIGINT) AS n
FROM disputes
WHERE resolved_at >= sqlc.arg('since')
GROUP BY type, status, resolution
ORDER BY type, status, resolution;

-- ManualLines lists the lines whose pending action waits for an admin, longest waiting first.
-- name: ManualLines :many
SELECT * FROM lines
WHERE manual AND pending_action <> ''
ORDER BY updated_at, id
LIMIT sqlc.arg('lim');

-- FailedSubmissions lists the open disputes whose answer failed to reach their provider, longest
-- waiting first.
-- name: FailedSubmissions :many
SELECT * FROM disputes
WHERE is_open AND submission_state = 'failed'
ORDER BY updated_at, id
LIMIT sqlc.arg('lim');

-- name: CountFailedSubmissions :one
SELECT CAST(COUNT(*) AS BIGINT) FROM disputes WHERE is_open AND submission_state = 'failed';
