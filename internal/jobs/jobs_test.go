package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"disputed/internal/jobs"
	"disputed/internal/store"
	"disputed/internal/store/pgtest"
	"disputed/internal/testenv"
)

// TestMain fails the package when a test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(pgtest.Wrap(m)) }

// clock is a settable time for runners under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func eachStore(t *testing.T, fn func(t *testing.T, st store.Store)) {
	for _, name := range testenv.Kinds {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, testenv.Store(t, name))
		})
	}
}

// enqueue schedules a job of kind at runAt in its own transaction.
func enqueue(t *testing.T, st store.Store, id, kind string, runAt time.Time) {
	t.Helper()
	err := st.Tx(context.Background(), func(tx store.Tx) error {
		_, err := tx.ScheduleJob(context.Background(), store.Job{ID: id, Kind: kind, Args: []byte(`{}`), RunAt: runAt,
			MaxAttempts: 3, CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func job(t *testing.T, st store.Store, id string) store.Job {
	t.Helper()
	j, err := st.GetJob(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// marker is a handler that writes a settings row, so that a test can see whether a handler's
// writes committed.
func marker(name string) jobs.Handler {
	return func(ctx context.Context, tx store.Tx, j store.Job) error {
		return tx.SaveSettings(ctx, store.Settings{MerchantName: name + ":" + j.ID, UpdatedAt: t0})
	}
}

func merchantName(t *testing.T, st store.Store) string {
	t.Helper()
	s, err := st.GetSettings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s.MerchantName
}

func TestJobRunsWhenDueAndCommitsWithItsCompletion(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, st store.Store) {
		c := &clock{t: t0}
		r := jobs.New(st, jobs.Config{Now: c.Now}, jobs.Kind{Name: "mark", Handler: marker("ran")})
		enqueue(t, st, "job_1", "mark", t0.Add(time.Hour))
		if n, err := r.RunOnce(context.Background()); n != 0 || err != nil {
			t.Fatalf("a job due in an hour ran now: %d %v", n, err)
		}
		c.Add(time.Hour)
		if n, err := r.RunOnce(context.Background()); n != 1 || err != nil {
			t.Fatalf("the due job did not run: %d %v", n, err)
		}
		if j := job(t, st, "job_1"); j.State != store.JobDone || j.Attempts != 1 || j.FinishedAt.IsZero() {
			t.Fatalf("job after running: %+v", j)
		}
		if got := merchantName(t, st); got != "ran:job_1" {
			t.Fatalf("the handler's write is %q", got)
		}
		if n, _ := r.RunOnce(context.Background()); n != 0 {
			t.Fatal("a done job ran again")
		}
	})
}

func TestFailingJobBacksOffThenDies(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, st store.Store) {
		c := &clock{t: t0}
		var calls atomic.Int32
		fail := func(ctx context.Context, tx store.Tx, j store.Job) error {
			calls.Add(1)
			if err := marker("partial")(ctx, tx, j); err != nil {
				return err
			}
			return errors.New("panel unreachable")
		}
		r := jobs.New(st, jobs.Config{Now: c.Now, Backoff: jobs.Backoff{Base: time.Minute, Max: time.Hour}},
			jobs.Kind{Name: "flaky", Handler: fail, MaxAttempts: 3})
		enqueue(t, st, "job_f", "flaky", t0)
		for attempt := 1; attempt <= 3; attempt++ {
			if n, err := r.RunOnce(context.Background()); n != 1 || err != nil {
				t.Fatalf("attempt %d: claimed %d, %v", attempt, n, err)
			}
			j := job(t, st, "job_f")
			if j.Attempts != attempt || j.LastError != "panel unreachable" {
				t.Fatalf("after attempt %d: %+v", attempt, j)
			}
			if attempt < 3 {
				wait := j.RunAt.Sub(c.Now())
				lo, hi := time.Minute<<(attempt-1)/2, time.Minute<<(attempt-1)
				if j.State != store.JobScheduled || wait < lo || wait > hi {
					t.Fatalf("retry %d scheduled in %v, want %v to %v: %+v", attempt, wait, lo, hi, j)
				}
				if n, _ := r.RunOnce(context.Background()); n != 0 {
					t.Fatal("a failed job was retried before its backoff")
				}
				c.Add(hi)
			} else if j.State != store.JobDead || j.FinishedAt.IsZero() {
				t.Fatalf("after the last attempt the job is %s", j.State)
			}
		}
		if merchantName(t, st) != "" {
			t.Fatal("a failing handler's writes were committed")
		}
		if calls.Load() != 3 {
			t.Fatalf("handler ran %d times", calls.Load())
		}
		err := st.Tx(context.Background(), func(tx store.Tx) error { _, err := tx.RetryJob(context.Background(), "job_f", c.Now()); return err })
		if err != nil {
			t.Fatal(err)
		}
		if j := job(t, st, "job_f"); j.State != store.JobScheduled || j.Attempts != 0 {
			t.Fatalf("retried dead job: %+v", j)
		}
	})
}

// A batch holding failing jobs commits the others' work whole and none of the failures', and
// runs each failing handler once per attempt, with one failure in the batch and with several.
func TestFailuresInABatchUndoOnlyTheirOwnWrites(t *testing.T) {
	t.Parallel()
	for _, failing := range []int{1, 3} {
		t.Run(fmt.Sprintf("%d failing", failing), func(t *testing.T) {
			eachStore(t, func(t *testing.T, st store.Store) {
				c := &clock{t: t0}
				calls := map[string]int{}
				var mu sync.Mutex
				spawn := func(ctx context.Context, tx store.Tx, j store.Job) error {
					mu.Lock()
					calls[j.ID]++
					mu.Unlock()
					_, err := tx.ScheduleJob(ctx, store.Job{ID: "child_" + j.ID, Kind: "child", Args: []byte(`{}`),
						RunAt: t0.Add(time.Hour), CreatedAt: t0, UpdatedAt: t0})
					if err != nil || !strings.HasPrefix(j.ID, "bad") {
						return err
					}
					return errors.New("refused")
				}
				r := jobs.New(st, jobs.Config{Now: c.Now, Batch: 20}, jobs.Kind{Name: "spawn", Handler: spawn, MaxAttempts: 3})
				var ids []string
				for i := range 8 {
					ids = append(ids, fmt.Sprintf("good_%d", i))
				}
				for i := range failing {
					ids = append(ids, fmt.Sprintf("bad_%d", i))
				}
				for _, id := range ids {
					enqueue(t, st, id, "spawn", t0)
				}
				if n, err := r.RunOnce(context.Background()); n != len(ids) || err != nil {
					t.Fatalf("claimed %d of %d: %v", n, len(ids), err)
				}
				for _, id := range ids {
					_, err := st.GetJob(context.Background(), "child_"+id)
					bad := strings.HasPrefix(id, "bad")
					if bad != errors.Is(err, store.ErrNotFound) {
						t.Errorf("%s: its write committed: %v", id, err == nil)
					}
					if j := job(t, st, id); (j.State == store.JobDone) == bad {
						t.Errorf("%s ended %s", id, j.State)
					}
					if strings.HasPrefix(id, "bad") && calls[id] != 1 {
						t.Errorf("%s ran %d times in one attempt", id, calls[id])
					}
				}
			})
		})
	}
}

func TestPanickingHandlerIsAFailureNotACrash(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t, "sqlite")
	c := &clock{t: t0}
	r := jobs.New(st, jobs.Config{Now: c.Now}, jobs.Kind{Name: "boom", Handler: func(context.Context, store.Tx, store.Job) error { panic("nil map") }})
	enqueue(t, st, "job_p", "boom", t0)
	if _, err := r.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if j := job(t, st, "job_p"); j.State != store.JobScheduled || j.LastError != "panic: nil map" {
		t.Fatalf("after a panic: %+v", j)
	}
}

// TestAbandonedJobIsPickedUpAfterItsLease: a worker that claimed a job and died leaves it running;
// once the lease has expired another runner takes it, and the first can no longer finish it.
func TestAbandonedJobIsPickedUpAfterItsLease(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, st store.Store) {
		c := &clock{t: t0}
		enqueue(t, st, "job_a", "mark", t0)
		ctx := context.Background()
		var dead []store.Job
		err := st.Tx(ctx, func(tx store.Tx) error {
			var err error
			dead, err = tx.ClaimJobs(ctx, store.ClaimParams{Runner: "crashed", Kinds: []string{"mark"}, Now: t0, Lease: time.Minute, Limit: 10})
			return err
		})
		if err != nil || len(dead) != 1 {
			t.Fatalf("claim: %v %v", dead, err)
		}
		r := jobs.New(st, jobs.Config{Now: c.Now, Lease: time.Minute, ID: "survivor"}, jobs.Kind{Name: "mark", Handler: marker("survivor")})
		if n, _ := r.RunOnce(ctx); n != 0 {
			t.Fatal("a job under a live lease was taken")
		}
		c.Add(time.Minute)
		if n, err := r.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("the abandoned job was not picked up: %d %v", n, err)
		}
		if j := job(t, st, "job_a"); j.State != store.JobDone || j.Attempts != 2 {
			t.Fatalf("after the second runner: %+v", j)
		}
		err = st.Tx(ctx, func(tx store.Tx) error {
			return tx.FinishJob(ctx, store.FinishParams{ID: "job_a", Runner: "crashed", Attempt: 1, Now: c.Now()})
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("the crashed worker finished a job it no longer holds: %v", err)
		}
	})
}

// TestStopFinishesTheRunningJobAndReleasesTheRest: graceful shutdown.
func TestStopFinishesTheRunningJobAndReleasesTheRest(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t, "sqlite")
	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	slow := func(ctx context.Context, tx store.Tx, j store.Job) error {
		once.Do(func() { close(started) })
		<-release
		return marker("slow")(ctx, tx, j)
	}
	for i := range 3 {
		enqueue(t, st, fmt.Sprintf("job_s%d", i), "slow", time.Now().Add(-time.Minute))
	}
	r := jobs.New(st, jobs.Config{Poll: 10 * time.Millisecond}, jobs.Kind{Name: "slow", Handler: slow})
	if err := r.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	<-started
	stopped := make(chan struct{})
	go func() { r.Stop(); close(stopped) }()
	select {
	case <-stopped:
		t.Fatal("Stop returned while a job was still running")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	<-stopped
	states := map[string]int{}
	for i := range 3 {
		j := job(t, st, fmt.Sprintf("job_s%d", i))
		states[j.State]++
		if j.State == store.JobScheduled && j.Attempts != 0 {
			t.Errorf("a released job counts an attempt: %+v", j)
		}
	}
	if states[store.JobDone] != 1 || states[store.JobScheduled] != 2 {
		t.Fatalf("after Stop: %v, want the running job done and the other two back to scheduled", states)
	}
}

// TestTwoRunnersShareTheWork: on PostgreSQL two runners claiming at once run every job exactly once.
func TestTwoRunnersShareTheWork(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t, "postgres")
	const n = 300
	err := st.Tx(context.Background(), func(tx store.Tx) error {
		for i := range n {
			if _, err := tx.ScheduleJob(context.Background(), store.Job{ID: fmt.Sprintf("job_%04d", i), Kind: "count",
				Args: []byte(`{}`), RunAt: t0, MaxAttempts: 3, CreatedAt: t0, UpdatedAt: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	ran := map[string]string{}
	count := func(name string) jobs.Handler {
		return func(_ context.Context, _ store.Tx, j store.Job) error {
			time.Sleep(time.Millisecond) // long enough that both runners are at work at once
			mu.Lock()
			defer mu.Unlock()
			if prev, dup := ran[j.ID]; dup {
				return fmt.Errorf("job %s ran on %s and %s", j.ID, prev, name)
			}
			ran[j.ID] = name
			return nil
		}
	}
	c := &clock{t: t0}
	var wg sync.WaitGroup
	for _, name := range []string{"a", "b"} {
		r := jobs.New(st, jobs.Config{Now: c.Now, Batch: 7, ID: name}, jobs.Kind{Name: "count", Handler: count(name)})
		wg.Go(func() {
			for {
				k, err := r.RunOnce(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if k == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	per := map[string]int{}
	for _, name := range ran {
		per[name]++
	}
	if len(ran) != n || per["a"] == 0 || per["b"] == 0 {
		t.Fatalf("ran %d of %d jobs, per runner %v", len(ran), n, per)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	t.Parallel()
	b := jobs.Backoff{Base: 2 * time.Second, Max: time.Minute}
	for n, want := range map[int]time.Duration{1: 2 * time.Second, 2: 4 * time.Second, 3: 8 * time.Second, 10: time.Minute} {
		for range 100 {
			if d := b.Delay(n); d < want/2 || d > want {
				t.Fatalf("Delay(%d) = %v, want between %v and %v", n, d, want/2, want)
			}
		}
	}
}

// TestLostRaceRetriesAtOnce: a job that lost a race to another writer (store.ErrConflict) runs
// again without waiting for a backoff, even on a clock that does not move.
func TestLostRaceRetriesAtOnce(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, st store.Store) {
		c := &clock{t: t0}
		var calls atomic.Int32
		racing := func(ctx context.Context, tx store.Tx, j store.Job) error {
			if calls.Add(1) == 1 {
				return fmt.Errorf("write the dispute: %w", store.ErrConflict)
			}
			return marker("second")(ctx, tx, j)
		}
		r := jobs.New(st, jobs.Config{Now: c.Now, Backoff: jobs.Backoff{Base: time.Hour, Max: time.Hour}},
			jobs.Kind{Name: "racing", Handler: racing, MaxAttempts: 3})
		enqueue(t, st, "job_r", "racing", t0)
		for range 2 {
			if n, err := r.RunOnce(context.Background()); n != 1 || err != nil {
				t.Fatalf("claimed %d, %v", n, err)
			}
		}
		if j := job(t, st, "job_r"); j.State != store.JobDone || j.Attempts != 2 {
			t.Fatalf("after a lost race and a retry the job is %+v", j)
		}
		if merchantName(t, st) != "second:job_r" {
			t.Fatal("the retry's writes were not committed")
		}
	})
}
