-- rule_acts counts the disputes each rule acted on (its runs whose outcome is done), kept by the
-- store in the transaction that records each run, for the rules page: counting them from
-- rule_runs read every run of every rule, a number that grows with the disputes. Each rule is
-- counted in up to 8 rows (shard), so that runs on PostgreSQL do not wait on one row's lock
-- until their commit, as sales_days (00032). The runs already there are counted here, in shard
-- 0. Portable like 00001.

-- +goose Up
CREATE TABLE rule_acts (
    rule_id TEXT NOT NULL,
    shard   BIGINT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (rule_id, shard)
);
INSERT INTO rule_acts (rule_id, shard, n)
SELECT rule_id, 0, COUNT(*) FROM rule_runs WHERE outcome = 'done' GROUP BY rule_id;

-- +goose Down
DROP TABLE rule_acts;
