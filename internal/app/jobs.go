package app

import (
	"context"
	"errors"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// Jobs returns a page of background jobs, newest first.
func (a *App) Jobs(ctx context.Context, who actor.Actor, f store.JobFilter) ([]store.Job, bool, error) {
	if err := adminOnly(who, "read jobs"); err != nil {
		return nil, false, err
	}
	js, err := a.store.ListJobs(ctx, f)
	if err != nil {
		return nil, false, err
	}
	js, more := store.Trim(js, f.Limit)
	return js, more, nil
}

// Job returns one background job.
func (a *App) Job(ctx context.Context, who actor.Actor, id string) (store.Job, error) {
	if err := adminOnly(who, "read jobs"); err != nil {
		return store.Job{}, err
	}
	j, err := a.store.GetJob(ctx, id)
	return j, store.NotFound(err, "job", id)
}

// RetryJob runs a dead job again, now, with its attempts reset.
func (a *App) RetryJob(ctx context.Context, who actor.Actor, id string) (store.Job, error) {
	if err := adminOnly(who, "retry jobs"); err != nil {
		return store.Job{}, err
	}
	var j store.Job
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		var err error
		j, err = tx.RetryJob(ctx, id, now)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return fault.NotFoundf("job", id)
		case errors.Is(err, store.ErrConflict):
			cur, gerr := tx.GetJob(ctx, id)
			if gerr != nil {
				return gerr
			}
			return fault.InvalidState(cur.State, "retry the job (only dead jobs are retried)")
		}
		return err
	})
	return j, err
}
