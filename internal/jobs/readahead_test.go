package jobs_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"disputed/internal/jobs"
	"disputed/internal/store"
)

type readKey struct{}

// A kind's ReadAhead reads once for the batch's jobs of that kind, before the first runs, and
// its handlers see what it read; when a job fails and the batch runs again, the read ahead is
// made again, for the jobs still to run, in the new transaction.
func TestReadAheadServesTheBatch(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, st store.Store) {
		c := &clock{t: t0}
		var mu sync.Mutex
		var reads [][]string
		read := func(ctx context.Context, _ store.Tx, js []store.Job) (context.Context, error) {
			var ids []string
			for _, j := range js {
				ids = append(ids, j.ID)
			}
			slices.Sort(ids)
			mu.Lock()
			reads = append(reads, ids)
			mu.Unlock()
			return context.WithValue(ctx, readKey{}, ids), nil
		}
		seen := map[string][]string{}
		handle := func(ctx context.Context, _ store.Tx, j store.Job) error {
			ids, _ := ctx.Value(readKey{}).([]string)
			seen[j.ID] = ids
			if j.ID == "job_bad" {
				return errors.New("refused")
			}
			return nil
		}
		other := func(ctx context.Context, _ store.Tx, j store.Job) error {
			if ctx.Value(readKey{}) != nil {
				t.Errorf("%s, of another kind, saw the read ahead", j.ID)
			}
			return nil
		}
		for _, id := range []string{"job_1", "job_2", "job_bad"} {
			enqueue(t, st, id, "read", t0)
		}
		enqueue(t, st, "job_other", "other", t0)
		r := jobs.New(st, jobs.Config{Now: c.Now}, jobs.Kind{Name: "read", Handler: handle, ReadAhead: read},
			jobs.Kind{Name: "other", Handler: other})
		if n, err := r.RunOnce(context.Background()); n != 4 || err != nil {
			t.Fatalf("claimed %d of 4: %v", n, err)
		}
		// The first run read for all three; job_bad failed, and the run again read for the two
		// still to run, job_bad's outcome being known.
		want := [][]string{{"job_1", "job_2", "job_bad"}, {"job_1", "job_2"}}
		if !slices.EqualFunc(reads, want, slices.Equal) {
			t.Fatalf("read ahead %v, want %v", reads, want)
		}
		if !slices.Equal(seen["job_2"], want[1]) {
			t.Fatalf("job_2 ran with %v", seen["job_2"])
		}
		if j := job(t, st, "job_1"); j.State != store.JobDone {
			t.Fatalf("job_1 ended %s", j.State)
		}
	})
}
