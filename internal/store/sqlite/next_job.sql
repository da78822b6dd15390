-- NextJobAt on SQLite (see sqlstore.Dialect): the first scheduled run_at and the first running
-- lease_until of the kinds in $1, a JSON array; NULL when there is neither. Each half walks its
-- index in order and stops at the first job of the kinds (a MIN with the kind filter would read
-- every scheduled job).
SELECT MIN(t) FROM (
    SELECT (SELECT run_at FROM jobs
            WHERE state = 'scheduled' AND kind IN (SELECT value FROM json_each($1))
            ORDER BY run_at LIMIT 1) AS t
    UNION ALL
    SELECT (SELECT lease_until FROM jobs
            WHERE state = 'running' AND kind IN (SELECT value FROM json_each($1))
            ORDER BY lease_until LIMIT 1)
) AS next
