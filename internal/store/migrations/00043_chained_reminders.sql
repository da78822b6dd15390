-- A dispute's reminders are chained: each, when it runs, schedules the next with the offsets the
-- settings hold then (deadline.Next), so a dispute keeps its deadline and one reminder scheduled
-- instead of one per offset. The reminders scheduled before, one per offset, are carried over:
-- each dispute keeps its first one, which schedules the rest. Portable like 00001.

-- +goose Up
DELETE FROM jobs
WHERE kind = 'dispute.reminder' AND state = 'scheduled' AND EXISTS (
    SELECT 1 FROM jobs AS earlier
    WHERE earlier.kind = 'dispute.reminder' AND earlier.state = 'scheduled' AND earlier.subject = jobs.subject
      AND (earlier.run_at < jobs.run_at OR (earlier.run_at = jobs.run_at AND earlier.id < jobs.id)));

-- +goose Down
-- Nothing to restore: a version before 00043 sends the first reminder, and not the later ones of
-- disputes opened since, until their due date changes (which plans every reminder again).
SELECT 1;
