package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

// ScheduleJob stores j as a new scheduled job, or moves the scheduled job with the same key. A
// new job starts with no attempts, no error and no lease whatever j says; its UpdatedAt is
// j.UpdatedAt, or j.CreatedAt when that is zero, and so is a moved job's. A taken id is
// store.ErrConflict.
func (t *tx) ScheduleJob(ctx context.Context, j store.Job) (store.Job, error) {
	updated := j.UpdatedAt
	if updated.IsZero() {
		updated = j.CreatedAt
	}
	r, err := t.q.ScheduleJob(ctx, query.ScheduleJobParams{
		ID: j.ID, Kind: j.Kind, Key: j.Key, Subject: j.Subject, Args: string(j.Args), RunAt: millis(j.RunAt),
		MaxAttempts: int64(j.MaxAttempts), CreatedAt: millis(j.CreatedAt), UpdatedAt: millis(updated),
	})
	if errors.Is(err, sql.ErrNoRows) { // the NOT EXISTS guard: the id is taken
		err = fmt.Errorf("%w: a job with the same id exists", store.ErrConflict)
	}
	if err != nil {
		return store.Job{}, t.fail(err, "schedule job %s (%s, key %q)", j.ID, j.Kind, j.Key)
	}
	return jobFromRow(r), nil
}

// CancelJobs finds the jobs by equality on subject, which the jobs_subject index answers on both
// databases and which is byte-wise on both (a PostgreSQL database's collation is deterministic).
// An empty subject, which the jobs about nothing in particular share, is refused.
func (t *tx) CancelJobs(ctx context.Context, subject string, now time.Time) (int64, error) {
	if subject == "" {
		return 0, errors.New("cancel jobs: empty subject")
	}
	n, err := t.q.CancelJobs(ctx, query.CancelJobsParams{Now: millis(now), Subject: subject})
	if err != nil {
		return 0, t.fail(err, "cancel jobs of %q", subject)
	}
	return n, nil
}

// ClaimJobs returns the claimed jobs in run_at, id order. No kinds or a Limit below one claim
// nothing.
func (t *tx) ClaimJobs(ctx context.Context, p store.ClaimParams) ([]store.Job, error) {
	if len(p.Kinds) == 0 || p.Limit < 1 {
		return nil, nil
	}
	if p.Lease <= 0 {
		return nil, fmt.Errorf("claim jobs: lease %v is not positive", p.Lease)
	}
	kinds, err := json.Marshal(p.Kinds)
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	rows, err := t.stmt(ctx, t.own.claimJobs).QueryContext(ctx,
		millis(p.Now), millis(p.Now.Add(p.Lease)), p.Runner, string(kinds), int64(p.Limit))
	if err != nil {
		return nil, t.fail(err, "claim jobs for %s", p.Runner)
	}
	jobs, err := scanRows(rows, scanJob)
	if err != nil {
		return nil, t.fail(err, "claim jobs for %s", p.Runner)
	}
	slices.SortFunc(jobs, func(a, b store.Job) int {
		return cmp.Or(a.RunAt.Compare(b.RunAt), strings.Compare(a.ID, b.ID))
	})
	return jobs, nil
}

// FinishJob with an error and a zero RetryAt schedules the job again at p.Now. When a scheduled
// job with the same key was added while this one ran, a failed job is not scheduled again but
// cancelled (keeping its error): the newer job supersedes it, as ScheduleJob would have moved it,
// and two scheduled jobs may not share a key.
func (t *tx) FinishJob(ctx context.Context, p store.FinishParams) error {
	var (
		n   int64
		err error
	)
	now, attempt := millis(p.Now), int64(p.Attempt)
	switch {
	case p.Err == "":
		n, err = t.q.FinishJobDone(ctx, query.FinishJobDoneParams{Now: now, ID: p.ID, Runner: p.Runner, Attempt: attempt})
	case p.Dead:
		n, err = t.q.FinishJobDead(ctx, query.FinishJobDeadParams{
			LastError: p.Err, Now: now, ID: p.ID, Runner: p.Runner, Attempt: attempt,
		})
	default:
		retryAt := p.RetryAt
		if retryAt.IsZero() {
			retryAt = p.Now
		}
		n, err = t.q.FinishJobRetry(ctx, query.FinishJobRetryParams{
			RunAt: millis(retryAt), LastError: p.Err, Now: now, ID: p.ID, Runner: p.Runner, Attempt: attempt,
		})
		if err == nil && n == 0 {
			n, err = t.q.SupersedeJob(ctx, query.SupersedeJobParams{
				Attempts: attempt, LastError: nullString(p.Err), Now: now, ID: p.ID, Runner: p.Runner, Attempt: attempt,
			})
		}
	}
	if err == nil && n == 0 {
		err = t.missedUpdate(ctx, t.q.JobExists, p.ID, "the claim is no longer held")
	}
	if err != nil {
		return t.fail(err, "finish job %s (runner %s, attempt %d)", p.ID, p.Runner, p.Attempt)
	}
	return nil
}

// ReleaseJob cancels the job instead, like FinishJob, when a scheduled job with the same key was
// added while it was claimed.
func (t *tx) ReleaseJob(ctx context.Context, id, runner string, attempt int, now time.Time) error {
	n, err := t.q.ReleaseJob(ctx, query.ReleaseJobParams{Now: millis(now), ID: id, Runner: runner, Attempt: int64(attempt)})
	if err == nil && n == 0 {
		n, err = t.q.SupersedeJob(ctx, query.SupersedeJobParams{
			Attempts: int64(attempt) - 1, Now: millis(now), ID: id, Runner: runner, Attempt: int64(attempt),
		})
	}
	if err == nil && n == 0 {
		err = t.missedUpdate(ctx, t.q.JobExists, id, "the claim is no longer held")
	}
	if err != nil {
		return t.fail(err, "release job %s (runner %s, attempt %d)", id, runner, attempt)
	}
	return nil
}

// RetryJob keeps the job's last error, which tells why it died. It is store.ErrConflict, too,
// when another scheduled job has the dead job's key.
func (t *tx) RetryJob(ctx context.Context, id string, now time.Time) (store.Job, error) {
	r, err := t.q.RetryJob(ctx, query.RetryJobParams{Now: millis(now), ID: id})
	if errors.Is(err, sql.ErrNoRows) {
		err = t.missedUpdate(ctx, t.q.JobExists, id, "the job is not dead, or another scheduled job has its key")
	}
	if err != nil {
		return store.Job{}, t.fail(err, "retry job %s", id)
	}
	return jobFromRow(r), nil
}

func (c *conn) GetJob(ctx context.Context, id string) (store.Job, error) {
	r, err := c.q.GetJob(ctx, id)
	if err != nil {
		return store.Job{}, c.fail(err, "get job %s", id)
	}
	return jobFromRow(r), nil
}

// ListJobs is WalkJobs without a bound.
func (c *conn) ListJobs(ctx context.Context, f store.JobFilter) ([]store.Job, error) {
	w, err := c.WalkJobs(ctx, f, 0)
	return w.Rows, err
}

// WalkJobs reads a state's jobs through the state's index and sorts them when they are few (the
// dead, the running), and otherwise walks all jobs newest first, at most readAtMost of them:
// done jobs outnumber the others by far, and a page of them is found at once. No index serves
// the kind (the kinds are few, each with many jobs), but a rare kind's walk read every job.
func (c *conn) WalkJobs(ctx context.Context, f store.JobFilter, readAtMost int) (store.Walk[store.Job], error) {
	var w conditions
	created := "created_at"
	if f.State != "" {
		few, err := c.few(ctx, "SELECT 1 FROM jobs WHERE state = $1", f.State)
		if err != nil {
			return store.Walk[store.Job]{}, c.fail(err, "list jobs")
		}
		if few {
			w.equal("state", f.State)
			created = "created_at + 0" // keep jobs_created out of the plan: read the state's index
		} else {
			w.add("state || '' = " + w.arg(f.State))
		}
	}
	if f.Kind != "" {
		w.add("kind = " + w.arg(f.Kind))
	}
	pg := w.startAfter(created, "id", f.Page)
	return walkNewest(ctx, c, "list jobs", w, walkOf{selectFrom: "SELECT * FROM jobs", table: "jobs", walked: "jobs",
		order: created + " DESC, id DESC", key: created + ", id"}, pg, readAtMost, scanJob)
}

func (c *conn) NextJobAt(ctx context.Context, kinds []string) (time.Time, error) {
	if len(kinds) == 0 {
		return time.Time{}, nil
	}
	b, err := json.Marshal(kinds)
	if err != nil {
		return time.Time{}, fmt.Errorf("next job: %w", err)
	}
	var next sql.NullInt64
	if err := c.stmt(ctx, c.own.nextJobAt).QueryRowContext(ctx, string(b)).Scan(&next); err != nil {
		return time.Time{}, c.fail(err, "next job of %v", kinds)
	}
	return fromNullMillis(next), nil
}

// scanJob reads a row with the columns of SELECT * FROM jobs (a list, a dialect's claim), by name.
var scanJob = scanBy(newByName[query.Job](), func(r query.Job) (store.Job, error) { return jobFromRow(r), nil })

func jobFromRow(r query.Job) store.Job {
	return store.Job{
		ID: r.ID, Kind: r.Kind, Key: r.Key, Subject: r.Subject, Args: bytesOrNil([]byte(r.Args)), State: r.State,
		RunAt: fromMillis(r.RunAt), Attempts: int(r.Attempts), MaxAttempts: int(r.MaxAttempts),
		LastError: r.LastError, LeaseUntil: fromNullMillis(r.LeaseUntil), LockedBy: r.LockedBy,
		CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt), FinishedAt: fromNullMillis(r.FinishedAt),
	}
}

func (t *tx) PurgeJobs(ctx context.Context, before time.Time) (int64, error) {
	n, err := t.q.PurgeJobs(ctx, nullMillis(before))
	if err != nil {
		return 0, t.fail(err, "purge jobs finished before %s", before)
	}
	return n, nil
}
