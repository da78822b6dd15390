// Package jobs runs background work kept in the database: jobs are enqueued in the same
// transaction as the change that causes them (store.Tx.ScheduleJob), claimed with a lease, run with
// a timeout, retried with exponential backoff and jitter up to a per-kind limit, and parked as dead
// with their last error. A handler's writes commit in the same transaction as the job's
// completion, so a job's effects happen once even when a worker dies mid-run and another one
// picks the job up after its lease expired.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"disputed/internal/service"
	"disputed/internal/store"
)

// Handler does one job inside tx. Returning an error undoes its writes and schedules a retry.
// A handler only works with the database: it runs inside the batch's transaction.
type Handler func(ctx context.Context, tx store.Tx, job store.Job) error

// Call does a job's work outside the database (a request to a panel, an SMTP server, a webhook
// endpoint) with no transaction open, so that a slow peer holds no lock. It returns what to
// write about the result: Record runs in the transaction that completes the job. A call may
// happen more than once for one job (the worker dies after the peer answered, before the
// commit), so what it asks of the peer must be safe to repeat.
type Call func(ctx context.Context, job store.Job) (Record, error)

// Record writes the outcome of a Call; nil writes nothing.
type Record func(ctx context.Context, tx store.Tx) error

// Failed writes what a failed attempt means, in the transaction that schedules the retry or, when
// dead is true, parks the job for good (a panel action that falls back to an admin, an email
// marked failed).
type Failed func(ctx context.Context, tx store.Tx, job store.Job, err error, dead bool) error

// Kind is a type of job and how to run it: with Handler inside the database, or with Call
// outside it.
type Kind struct {
	Name        string
	Handler     Handler
	Call        Call
	Failed      Failed        // optional
	MaxAttempts int           // attempts before the job is parked as dead, unless the job sets its own; default 10
	Timeout     time.Duration // for a batch that holds jobs of this kind, or for one Call; default 30 s
	// Retry is the wait after failed attempt n (1-based), when the kind keeps its own schedule
	// (webhook deliveries spread theirs over a day); nil uses the runner's Backoff.
	Retry func(n int) time.Duration
	// ReadAhead, when set, reads at once what the Handler will read for each of a batch's jobs
	// of this kind (one statement for the batch instead of one per job), in the batch's
	// transaction before the first of them runs, and returns the context they run in.
	ReadAhead ReadAhead
}

// ReadAhead reads, in tx, what the handlers of jobs will read, and returns the context that
// carries it to them. A handler must not trust what was read ahead more than what it would have
// read itself: an earlier job of the batch may have written since (a guarded write, such as a
// revision, refuses a stale copy, and the job runs again).
type ReadAhead func(ctx context.Context, tx store.Tx, jobs []store.Job) (context.Context, error)

// Permanent marks err as one that no retry can mend (the peer refused the request for good):
// the job is parked as dead at once.
func Permanent(err error) error { return &permanentError{err} }

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// Config tunes a Runner. Zero values pick the defaults.
type Config struct {
	Now     func() time.Time
	Logger  *slog.Logger
	Lease   time.Duration // how long a claim holds before another runner may take the job; default 1 min
	Poll    time.Duration // longest sleep between claims when idle; default 1 s
	Batch   int           // jobs claimed at once; default 100
	Calls   int           // Calls run at once; default 8
	Backoff Backoff       // default: about 2 s, 4 s, 8 s … up to 1 h, with jitter
	ID      string        // this runner's name in locked_by; default host:pid:random
}

// Store is what a Runner uses of the database: write transactions, in which it claims, finishes
// and releases jobs and its handlers write (their Tx is the whole store's, so that a job's effects
// commit with its completion), and when the next job comes due.
type Store interface {
	store.Transactor
	NextJobAt(ctx context.Context, kinds []string) (time.Time, error)
}

// Runner claims and runs jobs of its kinds, as a service: Start it, Stop it on shutdown.
type Runner struct {
	service.Base
	store Store
	cfg   Config
	kinds map[string]Kind
	names []string
}

// storeTimeout bounds each of the runner's own transactions (claiming jobs, recording a result
// or a failure, releasing jobs), so that a database that stops answering holds neither the loop
// nor Stop, which waits for it, for ever.
const storeTimeout = 30 * time.Second

// New returns a Runner for kinds.
func New(s Store, cfg Config, kinds ...Kind) *Runner {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Lease <= 0 {
		cfg.Lease = time.Minute
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 100
	}
	if cfg.Calls <= 0 {
		cfg.Calls = 8
	}
	if cfg.Backoff.Base <= 0 {
		cfg.Backoff = Backoff{Base: 2 * time.Second, Max: time.Hour}
	}
	if cfg.ID == "" {
		host, _ := os.Hostname()
		cfg.ID = fmt.Sprintf("%s:%d:%04x", host, os.Getpid(), rand.IntN(1<<16))
	}
	r := &Runner{store: s, cfg: cfg, kinds: map[string]Kind{}}
	for _, k := range kinds {
		if k.MaxAttempts <= 0 {
			k.MaxAttempts = 10
		}
		if k.Timeout <= 0 {
			k.Timeout = 30 * time.Second
		}
		r.kinds[k.Name] = k
		r.names = append(r.names, k.Name)
	}
	return r
}

// Start runs the claim loop in the background until Stop or until ctx ends. Stop (the embedded
// service.Base's) stops claiming, lets the jobs that are running finish, each within its kind's
// timeout, puts the jobs claimed but not started back unrun, and returns when the loop has ended.
func (r *Runner) Start(ctx context.Context) error {
	r.Go(ctx, r.loop)
	return nil
}

func (r *Runner) loop(ctx context.Context) {
	for {
		n, err := r.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			r.cfg.Logger.Error("job runner", "error", err)
		}
		if ctx.Err() != nil {
			return
		}
		if n > 0 && err == nil {
			continue // there may be more due right now
		}
		wait := r.cfg.Poll
		if err == nil {
			if next, nerr := r.nextJobAt(ctx); nerr == nil && !next.IsZero() {
				wait = min(max(next.Sub(r.cfg.Now()), 0), r.cfg.Poll)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// nextJobAt is when the next job of the runner's kinds is due (zero when none is scheduled).
func (r *Runner) nextJobAt(ctx context.Context) (time.Time, error) {
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	return r.store.NextJobAt(ctx, r.names)
}

// RunOnce claims one batch of due jobs and runs them; it reports how many it claimed.
//
// Handlers run in one transaction (see runHandlers): a job's writes commit together with its
// completion, a failing job's writes are undone without undoing the others', and the batch pays
// for one commit instead of one per job. Handlers therefore only touch the database; they get no
// deadline of their own (interrupting a statement could roll back the whole batch), the batch
// as a whole has the kinds' longest timeout. Calls run meanwhile, several at once, each with its
// own timeout and its own short transaction for the result. When ctx ends mid-batch, the jobs
// not yet started are released for another runner.
func (r *Runner) RunOnce(ctx context.Context) (int, error) {
	claimed, err := r.claim(ctx)
	if err != nil {
		return 0, fmt.Errorf("claim jobs: %w", err)
	}
	if len(claimed) == 0 {
		return 0, nil
	}
	var local, remote []store.Job
	for _, j := range claimed {
		if r.kinds[j.Kind].Call != nil {
			remote = append(remote, j)
		} else {
			local = append(local, j)
		}
	}
	type outcome struct {
		failures  []failure
		unstarted []store.Job
	}
	calls := make(chan outcome, 1)
	go func() {
		f, u := r.runCalls(ctx, remote)
		calls <- outcome{f, u}
	}()
	failures, unstarted, err := r.runHandlers(ctx, local)
	c := <-calls
	failures, unstarted = append(failures, c.failures...), append(unstarted, c.unstarted...)
	return len(claimed), errors.Join(err, r.recordFailures(ctx, failures), r.release(ctx, unstarted))
}

// claim claims the due jobs of one batch.
func (r *Runner) claim(ctx context.Context) ([]store.Job, error) {
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	var claimed []store.Job
	err := r.store.Tx(ctx, func(tx store.Tx) error {
		var err error
		claimed, err = tx.ClaimJobs(ctx, store.ClaimParams{Runner: r.cfg.ID, Kinds: r.names, Now: r.cfg.Now(),
			Lease: r.cfg.Lease, Limit: r.cfg.Batch})
		return err
	})
	return claimed, err
}

// bookkeeping is the context of a transaction that writes what became of claimed jobs: it goes
// on when ctx ends (the runner is stopping, and a result not written is work done again), under
// storeTimeout.
func bookkeeping(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
}

// runHandlers runs jobs with a Handler in one transaction. It runs the batch straight through:
// a savepoint per job would cost two statements and a statement journal each, and nearly every
// batch succeeds whole. When a job fails, the attempt is undone and the batch runs again with
// that job's outcome already known (it does not run twice); after a second failure the rest run
// each in its own savepoint, so that one failing job takes back only its own writes. So do they
// after the rows the batch held for its commit were refused (store.ErrHeldRows): the commit
// cannot tell whose they were, a savepoint can.
func (r *Runner) runHandlers(ctx context.Context, claimed []store.Job) ([]failure, []store.Job, error) {
	if len(claimed) == 0 {
		return nil, nil, nil
	}
	runCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.timeout())
	defer cancel()
	var failures []failure
	var unstarted []store.Job
	known := map[string]ended{}
	run := func(isolate bool) error {
		return r.store.Tx(runCtx, func(tx store.Tx) error {
			failures, unstarted = failures[:0], nil
			kindCtx, err := r.readAhead(runCtx, tx, claimed, known)
			if err != nil {
				return err
			}
			for i, j := range claimed {
				if ctx.Err() != nil {
					unstarted = claimed[i:]
					break
				}
				e, ok := known[j.ID]
				if !ok {
					var undo bool
					if e, undo = r.runIn(kindCtx[j.Kind], tx, j, isolate); undo {
						known[j.ID] = e
						return errUndo
					}
				}
				if e.failed {
					failures = append(failures, e.failure)
				}
			}
			return nil
		})
	}
	err := run(false)
	if errors.Is(err, errUndo) {
		err = run(false)
	}
	if errors.Is(err, errUndo) || errors.Is(err, store.ErrHeldRows) {
		err = run(true)
	}
	if err != nil {
		// The batch did not commit: nothing of it happened. The leases expire and the jobs run
		// again, by this runner or another.
		return nil, nil, fmt.Errorf("run a batch of %d jobs: %w", len(claimed), err)
	}
	return failures, unstarted, nil
}

// readAhead gives each kind of the batch's jobs the context its handlers run in: ctx, or what
// the kind's ReadAhead read for the jobs that are still to run.
func (r *Runner) readAhead(ctx context.Context, tx store.Tx, claimed []store.Job, known map[string]ended) (map[string]context.Context, error) {
	toRun := map[string][]store.Job{}
	for _, j := range claimed {
		if _, ok := known[j.ID]; !ok {
			toRun[j.Kind] = append(toRun[j.Kind], j)
		}
	}
	byKind := make(map[string]context.Context, len(toRun))
	for kind, jobs := range toRun {
		byKind[kind] = ctx
		if read := r.kinds[kind].ReadAhead; read != nil {
			kctx, err := read(ctx, tx, jobs)
			if err != nil {
				return nil, fmt.Errorf("read ahead for %d %s jobs: %w", len(jobs), kind, err)
			}
			byKind[kind] = kctx
		}
	}
	return byKind, nil
}

// errUndo rolls back a batch run straight through in which a job failed, to run it again.
var errUndo = errors.New("a job failed: run the batch again without it")

// ended is how a job's attempt ended: failed, or done (or taken over by another runner).
type ended struct {
	failure
	failed bool
}

// runIn runs one claimed job inside tx. Isolated, the job runs in its own savepoint, so a
// failure undoes its writes alone; otherwise undo asks for the whole batch to be rolled back,
// because the failed job may have written part of its work.
func (r *Runner) runIn(ctx context.Context, tx store.Tx, j store.Job, isolate bool) (e ended, undo bool) {
	k := r.kindOf(j)
	if f, ok := abandoned(j, k); ok {
		return ended{f, true}, false
	}
	start := time.Now()
	var handlerErr error
	work := func() error {
		if handlerErr = safely(func() error { return k.Handler(ctx, tx, j) }); handlerErr != nil {
			return handlerErr
		}
		return tx.FinishJob(ctx, store.FinishParams{ID: j.ID, Runner: r.cfg.ID, Attempt: j.Attempts, Now: r.cfg.Now()})
	}
	var err error
	if isolate {
		err = tx.Savepoint(ctx, work)
	} else {
		err = work()
	}
	f, ok := r.finished(j, k, start, err, handlerErr == nil)
	return ended{f, !ok}, err != nil && !isolate
}

// failure is a job whose attempt failed, with why.
type failure struct {
	job  store.Job
	kind Kind
	err  error
}

// kindOf is how to run j: its kind, with the job's own attempt limit when it was scheduled
// with one.
func (r *Runner) kindOf(j store.Job) Kind {
	k := r.kinds[j.Kind]
	if j.MaxAttempts > 0 {
		k.MaxAttempts = j.MaxAttempts
	}
	return k
}

// abandoned is the failure of a job whose every earlier claim ended without a result (the
// worker died or outlived its lease): running it again would loop forever.
func abandoned(j store.Job, k Kind) (failure, bool) {
	if j.Attempts > k.MaxAttempts {
		return failure{j, k, errors.New("abandoned: no attempt finished before its lease expired")}, true
	}
	return failure{}, false
}

// finished logs how an attempt ended; ok is false when it failed. A conflict on completing the
// job means the lease expired and another runner holds the job now: our writes were undone.
func (r *Runner) finished(j store.Job, k Kind, start time.Time, err error, workDone bool) (failure, bool) {
	switch {
	case err == nil:
		r.cfg.Logger.Debug("job done", "job_id", j.ID, "kind", j.Kind, "attempt", j.Attempts, "duration", time.Since(start))
		return failure{}, true
	case workDone && errors.Is(err, store.ErrConflict):
		r.cfg.Logger.Warn("job lost its lease", "job_id", j.ID, "kind", j.Kind)
		return failure{}, true
	}
	return failure{j, k, err}, false
}

// runCalls runs jobs with a Call, at most Config.Calls at once; jobs not started when ctx ends
// are returned to be released.
func (r *Runner) runCalls(ctx context.Context, claimed []store.Job) ([]failure, []store.Job) {
	var (
		mu        sync.Mutex
		failures  []failure
		unstarted []store.Job
		wg        sync.WaitGroup
	)
	slots := make(chan struct{}, r.cfg.Calls)
	for i, j := range claimed {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			unstarted = claimed[i:]
			break
		}
		wg.Go(func() {
			defer func() { <-slots }()
			if f, ok := r.runCall(ctx, j); !ok {
				mu.Lock()
				failures = append(failures, f)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return failures, unstarted
}

// runCall makes one job's call, then records its result and completes the job in one
// transaction. The call runs to its own timeout even when the runner is stopping: a request
// already sent is better answered than abandoned.
func (r *Runner) runCall(ctx context.Context, j store.Job) (failure, bool) {
	k := r.kindOf(j)
	if f, ok := abandoned(j, k); ok {
		return f, false
	}
	start := time.Now()
	callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), k.Timeout)
	defer cancel()
	var rec Record
	err := safely(func() (err error) {
		rec, err = k.Call(callCtx, j)
		return err
	})
	if err != nil {
		return failure{j, k, err}, false
	}
	var recErr error
	recCtx, cancelRec := bookkeeping(ctx)
	defer cancelRec()
	err = r.store.Tx(recCtx, func(tx store.Tx) error {
		if rec != nil {
			if recErr = safely(func() error { return rec(recCtx, tx) }); recErr != nil {
				return recErr
			}
		}
		return tx.FinishJob(recCtx, store.FinishParams{ID: j.ID, Runner: r.cfg.ID, Attempt: j.Attempts, Now: r.cfg.Now()})
	})
	return r.finished(j, k, start, err, recErr == nil)
}

// recordFailures schedules a retry after the backoff for each failed job, or parks it as dead
// when it has no attempts left.
func (r *Runner) recordFailures(ctx context.Context, fs []failure) error {
	if len(fs) == 0 {
		return nil
	}
	ctx, cancel := bookkeeping(ctx)
	defer cancel()
	return r.store.Tx(ctx, func(tx store.Tx) error {
		for _, f := range fs {
			p := store.FinishParams{ID: f.job.ID, Runner: r.cfg.ID, Attempt: f.job.Attempts, Now: r.cfg.Now(), Err: f.err.Error()}
			switch {
			case f.job.Attempts >= f.kind.MaxAttempts || IsPermanent(f.err):
				p.Dead = true
			case errors.Is(f.err, store.ErrConflict):
				// A race lost to another writer, whose change is committed now: the next attempt
				// reads it, so it need not wait (a backoff would leave a passed deadline unenforced).
				p.RetryAt = p.Now
			case f.kind.Retry != nil:
				p.RetryAt = p.Now.Add(f.kind.Retry(f.job.Attempts))
			default:
				p.RetryAt = p.Now.Add(r.cfg.Backoff.Delay(f.job.Attempts))
			}
			err := tx.FinishJob(ctx, p)
			if errors.Is(err, store.ErrConflict) {
				continue // another runner holds the job now; its attempt decides
			}
			if err != nil {
				return fmt.Errorf("record failure of job %s: %w", f.job.ID, err)
			}
			if f.kind.Failed != nil {
				if err := tx.Savepoint(ctx, func() error { return f.kind.Failed(ctx, tx, f.job, f.err, p.Dead) }); err != nil {
					r.cfg.Logger.Error("record what a failed job means", "job_id", f.job.ID, "kind", f.job.Kind, "error", err)
				}
			}
			level := slog.LevelWarn
			if p.Dead {
				level = slog.LevelError
			}
			r.cfg.Logger.Log(ctx, level, "job failed", "job_id", f.job.ID, "kind", f.job.Kind, "attempt", f.job.Attempts,
				"dead", p.Dead, "error", f.err)
		}
		return nil
	})
}

// timeout is the longest a batch may take: the longest timeout of the kinds.
func (r *Runner) timeout() time.Duration {
	var t time.Duration
	for _, k := range r.kinds {
		t = max(t, k.Timeout)
	}
	return t
}

// safely runs a job's code, turning a panic into an error so that one bad job cannot stop the
// runner.
func safely(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return fn()
}

// release puts claimed jobs that were not started back, unrun, for any runner to claim.
func (r *Runner) release(ctx context.Context, jobs []store.Job) error {
	if len(jobs) == 0 {
		return nil
	}
	ctx, cancel := bookkeeping(ctx)
	defer cancel()
	return r.store.Tx(ctx, func(tx store.Tx) error {
		for _, j := range jobs {
			if err := tx.ReleaseJob(ctx, j.ID, r.cfg.ID, j.Attempts, r.cfg.Now()); err != nil && !errors.Is(err, store.ErrConflict) {
				return fmt.Errorf("release job %s: %w", j.ID, err)
			}
		}
		return nil
	})
}

// Backoff is exponential: Base doubled per failed attempt up to Max, with "equal jitter" (half
// fixed, half random) so that jobs failing together do not retry together.
type Backoff struct {
	Base time.Duration
	Max  time.Duration
}

// Delay is the wait before the retry that follows failed attempt n (1-based).
func (b Backoff) Delay(n int) time.Duration {
	d := b.Base
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	half := d / 2
	return half + rand.N(half+1)
}
