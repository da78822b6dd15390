package postgres_test

import (
	"sync"
	"testing"

	"disputed/internal/store"
	"disputed/internal/store/pgtest"
	"disputed/internal/store/postgres"
	"disputed/internal/store/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func open(tb testing.TB, url string) store.Store {
	tb.Helper()
	s, err := postgres.Open(tb.Context(), url)
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
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, pgtest.Database(t)) })
}

func BenchmarkStore(b *testing.B) {
	storetest.Benchmark(b, func(b *testing.B) store.Store { return open(b, pgtest.Database(b)) })
}

// TestOpenTogether starts several servers on one new database at once: the migration lock must
// let one create the schema and the others find it done.
func TestOpenTogether(t *testing.T) {
	t.Parallel()
	url := pgtest.Database(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			s, err := postgres.Open(t.Context(), url)
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
