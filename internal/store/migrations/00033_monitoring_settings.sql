-- The merchant's own monitoring programs' thresholds, replacing the shipped ones
-- (internal/monitoring/programs.json): a JSON object {"version", "date", "rows": [...]}; NULL for
-- the shipped table. monitoring_approach: the fraction of a threshold at which a ratio is
-- approaching it, as JSON (0.75); NULL for the default. monitoring_notices: the crossings already
-- announced, one per month, program and level, so that each is announced once, written in the
-- transaction of its event. Portable like 00001.

-- +goose Up
ALTER TABLE settings ADD COLUMN monitoring_programs TEXT;
ALTER TABLE settings ADD COLUMN monitoring_approach TEXT;
CREATE TABLE monitoring_notices (
    month      TEXT NOT NULL,
    network    TEXT NOT NULL,
    program    TEXT NOT NULL,
    level      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (month, network, program, level)
);

-- +goose Down
DROP TABLE monitoring_notices;
ALTER TABLE settings DROP COLUMN monitoring_approach;
ALTER TABLE settings DROP COLUMN monitoring_programs;
