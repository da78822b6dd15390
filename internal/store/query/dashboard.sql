-- SearchDisputes is the admin UI's list: the API's filters and a few more (provider, open only, a
-- due window, the customer's email in the search), sorted as asked, in offset pages.
-- name: SearchDisputes :many
SELECT * FROM disputes
WHERE (CAST(sqlc.narg('status') AS TEXT) IS NULL OR status = sqlc.narg('status'))
  AND (CAST(sqlc.narg('type') AS TEXT) IS NULL OR type = sqlc.narg('type'))
  AND (CAST(sqlc.narg('provider') AS TEXT) IS NULL OR provider = sqlc.narg('provider'))
  AND (NOT CAST(sqlc.arg('open_only') AS BOOLEAN) OR is_open)
  AND (CAST(sqlc.narg('due_after') AS BIGINT) IS NULL OR due_by >= sqlc.narg('due_after'))
  AND (CAST(sqlc.narg('due_before') AS BIGINT) IS NULL OR due_by < sqlc.narg('due_before'))
  AND (CAST(sqlc.narg('tag') AS TEXT) IS NULL
       OR EXISTS (SELECT 1 FROM dispute_tags t WHERE t.dispute_id = disputes.id AND t.tag = sqlc.narg('tag')))
  AND (CAST(sqlc.narg('search') AS TEXT) IS NULL
       OR search LIKE sqlc.narg('search') ESCAPE '\'
       OR customer_id IN (SELECT c.id FROM customers c WHERE LOWER(c.email) LIKE sqlc.narg('search') ESCAPE '\'))
ORDER BY
  CASE WHEN CAST(sqlc.arg('sort') AS TEXT) = 'due' THEN COALESCE(due_by, 9223372036854775807) ELSE 0 END ASC,
  CASE WHEN CAST(sqlc.arg('sort') AS TEXT) = 'amount' THEN amount ELSE 0 END DESC,
  CASE WHEN CAST(sqlc.arg('sort') AS TEXT) = 'oldest' THEN created_at ELSE 0 END ASC,
  created_at DESC, id DESC
LIMIT sqlc.arg('lim') OFFSET sqlc.arg('off');

-- OpenDisputeStats counts the open disputes per type, status and currency, with their amount
-- and how many are due by when: overdue (due_by <= now), within 24 hours, within 24 to 72 hours.
-- name: OpenDisputeStats :many
SELECT type, status, currency,
  CAST(COUNT(*) AS BIGINT) AS n,
  CAST(SUM(amount) AS BIGINT) AS amount,
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
