package store

import (
	"context"
	"time"
)

// JobReader reads durable background jobs.
type JobReader interface {
	GetJob(ctx context.Context, id string) (Job, error)
	// ListJobs returns jobs newest first (created_at DESC, id DESC), keyset-paginated like the other lists.
	ListJobs(ctx context.Context, f JobFilter) ([]Job, error)
	// WalkJobs is ListJobs reading at most readAtMost jobs along the index it walks (the
	// offset's included; the kind has no index and is checked on the jobs read): when it has
	// read that many before it found f.Limit+1 matches, it stops, and says where. readAtMost 0
	// does not bound the walk.
	WalkJobs(ctx context.Context, f JobFilter, readAtMost int) (Walk[Job], error)
	// NextJobAt returns the earliest time a job of one of the kinds becomes claimable (a scheduled
	// job's run_at, a running job's lease_until), or the zero time when there is none.
	NextJobAt(ctx context.Context, kinds []string) (time.Time, error)
}

// JobWriter writes durable background jobs, inside a Tx.
type JobWriter interface {
	// ScheduleJob inserts j (state scheduled). When j.Key is set and a scheduled job with that key
	// already exists, that job is moved instead: its kind, subject, args, run_at and max_attempts
	// become j's and its attempts and last error are reset; at most one scheduled job exists per
	// key. A job with the key that is running (or done, dead, cancelled) is left alone, and j is
	// inserted beside it: the running one gives way when it would be scheduled again (see
	// FinishJob and ReleaseJob). It returns the job as stored (the existing id when it moved one).
	ScheduleJob(ctx context.Context, j Job) (Job, error)
	// CancelJobs sets the scheduled jobs of subject to cancelled (finished at now) and reports
	// how many; running jobs are left to finish (their handlers re-check the facts). An empty
	// subject is refused with an error.
	CancelJobs(ctx context.Context, subject string, now time.Time) (int64, error)
	// ClaimJobs leases up to p.Limit jobs of p.Kinds that are due (scheduled with run_at <= now) or
	// abandoned (running with lease_until <= now), oldest run_at first: state running, attempts+1,
	// lease_until now+lease, locked_by p.Runner. Two claimers never get the same job: PostgreSQL
	// skips rows another transaction holds (FOR UPDATE SKIP LOCKED); SQLite has one writer.
	ClaimJobs(ctx context.Context, p ClaimParams) ([]Job, error)
	// FinishJob ends one claim: done when p.Err is "", otherwise failed — scheduled again at
	// p.RetryAt, or dead when p.Dead. ErrConflict (nothing written) when the job is no longer held
	// by this claim (runner and attempt), so a worker whose lease expired cannot finish it. When
	// its key was scheduled again while it ran (another scheduled job holds the key now), a failed
	// job that is not dead is not scheduled again but cancelled, keeping p.Err as its last error:
	// the newer job supersedes it.
	FinishJob(ctx context.Context, p FinishParams) error
	// ReleaseJob hands a claimed job back unrun (graceful shutdown): scheduled at now, the attempt
	// not counted. ErrConflict when the claim is no longer held. When another scheduled job holds
	// its key by now, the job is cancelled instead (the attempt still not counted, its last
	// error kept).
	ReleaseJob(ctx context.Context, id, runner string, attempt int, now time.Time) error
	// PurgeJobs deletes done and cancelled jobs that finished before the given time and reports
	// how many; dead jobs stay until they are retried.
	PurgeJobs(ctx context.Context, before time.Time) (int64, error)
	// RetryJob makes a dead job scheduled again at now with attempts reset, keeping its last
	// error. ErrNotFound when there is no such job, ErrConflict when it is not dead or when
	// another scheduled job holds its key (the job stays dead).
	RetryJob(ctx context.Context, id string, now time.Time) (Job, error)
}

// Job states.
const (
	JobScheduled = "scheduled"
	JobRunning   = "running"
	JobDone      = "done"
	JobDead      = "dead"
	JobCancelled = "cancelled"
)

// Job is a unit of background work, kept in the same database as the data so that it is enqueued
// in the same transaction as the change that causes it.
type Job struct {
	ID          string
	Kind        string
	Key         string // optional; at most one scheduled job per key
	Subject     string // what the job is about (e.g. a dispute id); CancelJobs cancels by it
	Args        []byte // JSON
	State       string
	RunAt       time.Time
	Attempts    int // claims so far
	MaxAttempts int
	LastError   string
	LeaseUntil  time.Time // zero unless running
	LockedBy    string    // the runner holding the lease
	CreatedAt   time.Time
	UpdatedAt   time.Time
	FinishedAt  time.Time // zero until done, dead or cancelled
}

// ClaimParams lease due jobs to a runner.
type ClaimParams struct {
	Runner string
	Kinds  []string
	Now    time.Time
	Lease  time.Duration
	Limit  int
}

// FinishParams end a claim.
type FinishParams struct {
	ID      string
	Runner  string
	Attempt int
	Now     time.Time
	Err     string    // "" for success
	RetryAt time.Time // when to run again after a failure
	Dead    bool      // no attempts left: park it
}

// JobFilter selects jobs.
type JobFilter struct {
	Page
	State string
	Kind  string
}
