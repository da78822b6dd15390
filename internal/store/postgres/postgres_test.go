package postgres_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"disputed/internal/secretbox"
	"disputed/internal/store"
	"disputed/internal/store/pgtest"
	"disputed/internal/store/postgres"
	"disputed/internal/store/storetest"
)

// TestMain fails the package when a test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(pgtest.Wrap(m)) }

// migrated is the database the conformance suite's tests start from: migrated once, then copied
// (the tests of migrating itself start from pgtest.Database's empty one).
var migrated = pgtest.NewTemplate(postgres.Migrate)

func open(tb testing.TB, url string) store.Store {
	tb.Helper()
	s, err := postgres.Open(tb.Context(), url, secretbox.Fresh())
	if err != nil {
		tb.Fatalf("postgres.Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, migrated.Database(t)) })
}

func BenchmarkStore(b *testing.B) {
	storetest.Benchmark(b, func(b *testing.B) store.Store { return open(b, migrated.Database(b)) })
}

// TestOpenTogether starts several servers on one new database at once: the migration lock must
// let one create the schema and the others find it done.
func TestOpenTogether(t *testing.T) {
	t.Parallel()
	url := pgtest.Database(t)
	keys := secretbox.Fresh()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			s, err := postgres.Open(t.Context(), url, keys)
			if err != nil {
				t.Errorf("postgres.Open: %v", err)
				return
			}
			if err := s.Ping(t.Context()); err != nil {
				t.Errorf("Ping: %v", err)
			}
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	wg.Wait()
	if err := postgres.Migrate(t.Context(), url); err != nil {
		t.Errorf("Migrate on an up-to-date database: %v", err)
	}
}

// TestClaimSkipsLocked holds one claim's transaction open while a second claimer runs: with
// FOR UPDATE SKIP LOCKED the second takes the other due jobs at once instead of waiting for the
// first to commit (SQLite, with one writer, would make it wait).
func TestClaimSkipsLocked(t *testing.T) {
	t.Parallel()
	s := open(t, migrated.Database(t))
	ctx := t.Context()
	now := time.UnixMilli(1_780_000_000_000).UTC()
	err := s.Tx(ctx, func(tx store.Tx) error {
		for i := range 10 {
			j := store.Job{ID: fmt.Sprintf("job_%02d", i), Kind: "k", RunAt: now, CreatedAt: now}
			if _, err := tx.ScheduleJob(ctx, j); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	claimIn := func(tx store.Tx, runner string, limit int) ([]string, error) {
		jobs, err := tx.ClaimJobs(ctx, store.ClaimParams{Runner: runner, Kinds: []string{"k"}, Now: now, Lease: time.Minute, Limit: limit})
		ids := make([]string, len(jobs))
		for i, j := range jobs {
			ids[i] = j.ID
		}
		return ids, err
	}
	var first, second []string
	done := make(chan error, 1)
	err = s.Tx(ctx, func(tx store.Tx) error {
		var err error
		if first, err = claimIn(tx, "first", 4); err != nil {
			return err
		}
		go func() {
			done <- s.Tx(ctx, func(tx store.Tx) error {
				var err error
				second, err = claimIn(tx, "second", 10)
				return err
			})
		}()
		select {
		case err := <-done:
			done <- err
			return nil
		case <-time.After(5 * time.Second):
			return errors.New("the second claim waited for the first transaction: rows are not skipped")
		}
	})
	if err2 := <-done; err == nil {
		err = err2
	}
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"job_00", "job_01", "job_02", "job_03"}
	if !slices.Equal(first, want) {
		t.Errorf("first claim %v, want %v", first, want)
	}
	want = []string{"job_04", "job_05", "job_06", "job_07", "job_08", "job_09"}
	if !slices.Equal(second, want) {
		t.Errorf("second claim, made while the first was open, %v, want %v", second, want)
	}
}
