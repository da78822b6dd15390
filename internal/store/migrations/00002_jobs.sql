-- Durable jobs, and the settings that plan them. Portable like 00001: TEXT ids, BIGINT
-- unix-millisecond times (NULL when there is none), JSON kept as TEXT, '' rather than NULL for
-- optional text.

-- +goose Up
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    -- key is optional ('' for none); at most one scheduled job has a given key.
    key          TEXT NOT NULL DEFAULT '',
    -- subject is what the job is about ('' for nothing in particular), such as a dispute id:
    -- CancelJobs cancels a subject's scheduled jobs.
    subject      TEXT NOT NULL DEFAULT '',
    -- args is the job's JSON, as text: readable in psql and sqlite3, and like events.data.
    args         TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL,
    run_at       BIGINT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    -- lease_until and locked_by are set while the job is running, and only then.
    lease_until  BIGINT,
    locked_by    TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    finished_at  BIGINT
);
-- The arbiter of ScheduleJob's upsert: INSERT … ON CONFLICT (key) WHERE <this predicate>.
CREATE UNIQUE INDEX jobs_scheduled_key ON jobs (key) WHERE state = 'scheduled' AND key <> '';
-- CancelJobs finds a subject's scheduled jobs by equality, which both databases answer from this
-- index whatever the collation (a key prefix could not: SQLite's LIKE cannot use an index, and a
-- range on PostgreSQL compares by the database collation, not byte-wise).
CREATE INDEX jobs_subject ON jobs (subject) WHERE state = 'scheduled' AND subject <> '';
-- Claims walk due jobs in (run_at, id) order; NextJobAt takes the first one.
CREATE INDEX jobs_due ON jobs (state, run_at, id);
-- Claims and NextJobAt find running jobs whose lease ran out.
CREATE INDEX jobs_lease ON jobs (state, lease_until);
CREATE INDEX jobs_created ON jobs (created_at DESC, id DESC);

-- reminder_offsets is a JSON array of whole seconds; NULL means the default (the caller's
-- choice), '[]' means no reminders.
ALTER TABLE settings ADD COLUMN reminder_offsets TEXT;
ALTER TABLE settings ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
-- Settings saved before this column existed: the last change is the best date we have.
UPDATE settings SET created_at = updated_at;

-- +goose Down
ALTER TABLE settings DROP COLUMN created_at;
ALTER TABLE settings DROP COLUMN reminder_offsets;
DROP TABLE jobs;
