-- jobs_lease goes. Two reads look jobs up by their lease, both among the running ones (a claim
-- takes back a job whose runner's lease ran out; NextJobAt wakes the runner for it), and those
-- are few: at most the batches the runners hold, which jobs_due finds by its state. Yet every
-- scheduled, cancelled, done and dead job was in it, and every change of state moved a job's
-- entry: a dispute's opening schedules three jobs and its end cancels them, a deadline's expiry
-- claims one and ends it. Portable like 00001.

-- +goose Up
DROP INDEX jobs_lease;

-- +goose Down
CREATE INDEX jobs_lease ON jobs (state, lease_until);
