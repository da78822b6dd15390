package jobs_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"disputed/internal/jobs"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestCallRunsOutsideTheTransactionAndRecordsWithItsCompletion: a call may write on its own
// while it runs (no transaction of the runner holds the single SQLite writer), and what it
// returns to record commits together with the job's completion.
func TestCallRunsOutsideTheTransactionAndRecordsWithItsCompletion(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, st store.Store) {
		c := &clock{t: t0}
		call := func(ctx context.Context, j store.Job) (jobs.Record, error) {
			// A write of its own: it would wait forever on SQLite if the runner held a transaction.
			if err := st.Tx(ctx, func(tx store.Tx) error { return marker("during")(ctx, tx, j) }); err != nil {
				return nil, err
			}
			return func(ctx context.Context, tx store.Tx) error { return marker("answered")(ctx, tx, j) }, nil
		}
		r := jobs.New(st, jobs.Config{Now: c.Now}, jobs.Kind{Name: "call", Call: call, Timeout: 5 * time.Second},
			jobs.Kind{Name: "mark", Handler: marker("local")})
		enqueue(t, st, "job_c", "call", t0)
		if n, err := r.RunOnce(context.Background()); n != 1 || err != nil {
			t.Fatalf("claimed %d: %v", n, err)
		}
		if j := job(t, st, "job_c"); j.State != store.JobDone {
			t.Fatalf("call job: %+v", j)
		}
		if got := merchantName(t, st); got != "answered:job_c" {
			t.Fatalf("recorded %q", got)
		}
	})
}

// TestFailedCallsRetryThenReportDead: each failed attempt is reported to the kind's Failed hook
// in the transaction that schedules the retry; the last one says dead. A permanent error is dead
// at the first attempt.
func TestFailedCallsRetryThenReportDead(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, st store.Store) {
		c := &clock{t: t0}
		var mu sync.Mutex
		reports := map[string][]bool{}
		failed := func(ctx context.Context, tx store.Tx, j store.Job, err error, dead bool) error {
			mu.Lock()
			reports[j.ID] = append(reports[j.ID], dead)
			mu.Unlock()
			return tx.SaveSettings(ctx, store.Settings{MerchantName: "failed:" + j.ID + ":" + err.Error(), UpdatedAt: t0})
		}
		call := func(ctx context.Context, j store.Job) (jobs.Record, error) {
			if j.ID == "job_perm" {
				return nil, jobs.Permanent(errors.New("404 no such line"))
			}
			return nil, errors.New("503 busy")
		}
		r := jobs.New(st, jobs.Config{Now: c.Now, Backoff: jobs.Backoff{Base: time.Minute, Max: time.Minute}},
			jobs.Kind{Name: "call", Call: call, Failed: failed})
		enqueue(t, st, "job_perm", "call", t0)
		if _, err := r.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if j := job(t, st, "job_perm"); j.State != store.JobDead || j.Attempts != 1 || j.LastError != "404 no such line" {
			t.Fatalf("permanent failure: %+v", j)
		}
		if got := merchantName(t, st); got != "failed:job_perm:404 no such line" {
			t.Fatalf("the Failed hook's write: %q", got)
		}
		enqueue(t, st, "job_busy", "call", t0) // three attempts (enqueue sets MaxAttempts 3)
		for range 3 {
			if n, err := r.RunOnce(context.Background()); n != 1 || err != nil {
				t.Fatalf("claimed %d: %v", n, err)
			}
			c.Add(time.Minute)
		}
		if j := job(t, st, "job_busy"); j.State != store.JobDead || j.Attempts != 3 {
			t.Fatalf("transient failures: %+v", j)
		}
		mu.Lock()
		defer mu.Unlock()
		if got := reports["job_perm"]; len(got) != 1 || !got[0] {
			t.Fatalf("permanent reports %v", got)
		}
		if got := reports["job_busy"]; len(got) != 3 || got[0] || got[1] || !got[2] {
			t.Fatalf("transient reports %v, want [false false true]", got)
		}
	})
}

// TestCallsRunConcurrentlyUpToTheLimit: one slow peer does not hold up the others, and no more
// than Config.Calls are in flight at once.
func TestCallsRunConcurrentlyUpToTheLimit(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t, "sqlite")
	c := &clock{t: t0}
	var inFlight, peak atomic.Int32
	release := make(chan struct{})
	call := func(ctx context.Context, j store.Job) (jobs.Record, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-release
		return nil, nil
	}
	r := jobs.New(st, jobs.Config{Now: c.Now, Calls: 3}, jobs.Kind{Name: "call", Call: call})
	for _, id := range []string{"job_1", "job_2", "job_3", "job_4", "job_5", "job_6", "job_7"} {
		enqueue(t, st, id, "call", t0)
	}
	done := make(chan error, 1)
	go func() { _, err := r.RunOnce(context.Background()); done <- err }()
	deadline := time.Now().Add(5 * time.Second)
	for inFlight.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p != 3 {
		t.Fatalf("peak concurrency %d, want 3", p)
	}
	for _, id := range []string{"job_1", "job_7"} {
		if j := job(t, st, id); j.State != store.JobDone {
			t.Fatalf("%s: %+v", id, j)
		}
	}
}

// TestKindRetrySchedule: a kind with its own schedule waits what it says after each failure.
func TestKindRetrySchedule(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t, "sqlite")
	c := &clock{t: t0}
	waits := []time.Duration{5 * time.Second, 5 * time.Minute}
	r := jobs.New(st, jobs.Config{Now: c.Now}, jobs.Kind{Name: "hook", MaxAttempts: 3,
		Call:  func(context.Context, store.Job) (jobs.Record, error) { return nil, errors.New("receiver down") },
		Retry: func(n int) time.Duration { return waits[n-1] }})
	enqueue(t, st, "job_h", "hook", t0)
	for _, w := range waits {
		if _, err := r.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if j := job(t, st, "job_h"); !j.RunAt.Equal(c.Now().Add(w)) {
			t.Fatalf("retry at %v, want %v later", j.RunAt, w)
		}
		c.Add(w)
	}
}
