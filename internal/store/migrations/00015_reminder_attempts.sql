-- Reminder jobs were scheduled with the expiry's 20 attempts while their kind allows 5
-- (app.RemindAttempts): the jobs not finished yet get their kind's limit, which the job list shows
-- and the runner obeys. Portable like 00001.

-- +goose Up
UPDATE jobs SET max_attempts = 5
WHERE kind = 'dispute.reminder' AND max_attempts = 20 AND state IN ('scheduled', 'running');

-- +goose Down
UPDATE jobs SET max_attempts = 20
WHERE kind = 'dispute.reminder' AND max_attempts = 5 AND state IN ('scheduled', 'running');
