-- The merchant's automation rules (internal/rules) and what each did: a rule acts on a dispute
-- at most once, which the primary key of rule_runs decides between two runners. A run stays when
-- its rule is deleted: it is the dispute's history. Portable like 00001.

-- +goose Up
CREATE TABLE rules (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    expression TEXT NOT NULL,           -- the rule's "when"
    action     TEXT NOT NULL,
    params     TEXT NOT NULL DEFAULT '{}', -- JSON
    enabled    BOOLEAN NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- Rules run in the order they were created.
CREATE INDEX rules_created ON rules (created_at, id);

CREATE TABLE rule_runs (
    rule_id    TEXT NOT NULL,
    dispute_id TEXT NOT NULL,
    action     TEXT NOT NULL,
    outcome    TEXT NOT NULL, -- done | skipped | failed
    note       TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL,
    PRIMARY KEY (rule_id, dispute_id)
);
CREATE INDEX rule_runs_dispute ON rule_runs (dispute_id);

-- +goose Down
DROP TABLE rule_runs;
DROP TABLE rules;
