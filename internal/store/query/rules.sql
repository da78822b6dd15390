-- name: InsertRule :exec
INSERT INTO rules (id, name, expression, action, params, enabled, created_by, created_at, updated_at)
VALUES (@id, @name, @expression, @action, @params, @enabled, @created_by, @created_at, @updated_at);

-- name: UpdateRule :execrows
UPDATE rules SET name = @name, expression = @expression, action = @action, params = @params,
    enabled = @enabled, updated_at = @updated_at
WHERE id = @id;

-- name: DeleteRule :execrows
DELETE FROM rules WHERE id = @id;

-- name: GetRule :one
SELECT * FROM rules WHERE id = @id;

-- name: ListRules :many
SELECT * FROM rules ORDER BY created_at, id;

-- name: InsertRuleRun :execrows
INSERT INTO rule_runs (rule_id, dispute_id, action, outcome, note, at)
VALUES (@rule_id, @dispute_id, @action, @outcome, @note, @at)
ON CONFLICT DO NOTHING;

-- name: RuleRunsOfDispute :many
SELECT * FROM rule_runs WHERE dispute_id = @dispute_id ORDER BY at, rule_id;

-- name: CountRuleActs :exec
-- n more disputes a rule acted on, in the transaction that records its runs, in one of the
-- rule's shards.
INSERT INTO rule_acts (rule_id, shard, n) VALUES (@rule_id, @shard, @n)
ON CONFLICT (rule_id, shard) DO UPDATE SET n = rule_acts.n + excluded.n;

-- name: RuleActs :many
SELECT rule_id, CAST(SUM(n) AS BIGINT) AS acted FROM rule_acts GROUP BY rule_id;

-- name: DeleteRuleActs :exec
DELETE FROM rule_acts WHERE rule_id = @rule_id;
