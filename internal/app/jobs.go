package app

import (
	"context"
	"errors"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// Jobs returns a page of background jobs, newest first, reading at most the bound of rows a list
// reads.
func (a *App) Jobs(ctx context.Context, who actor.Actor, f store.JobFilter) (WalkPage[store.Job], error) {
	if err := adminOnly(who, "read jobs"); err != nil {
		return WalkPage[store.Job]{}, err
	}
	walk, err := a.store.WalkJobs(ctx, f, a.listReadAtMost)
	if err != nil {
		return WalkPage[store.Job]{}, err
	}
	return walkPage(walk, f.Page, func(j store.Job) (time.Time, string) { return j.CreatedAt, j.ID }), nil
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
