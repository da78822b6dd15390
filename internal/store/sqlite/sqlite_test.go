package sqlite_test

import (
	"testing"

	"go.uber.org/goleak"

	"disputed/internal/secretbox"
	"disputed/internal/store"
	"disputed/internal/store/sqlite"
	"disputed/internal/store/sqlitetest"
	"disputed/internal/store/storetest"
)

// TestMain fails the package when a test leaves a goroutine behind (a store not closed keeps its
// pools' goroutines).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// migrated is the database every store test starts from: migrated once, then copied.
var migrated = sqlitetest.NewTemplate(sqlite.Migrate)

func open(tb testing.TB) store.Store {
	tb.Helper()
	s, err := sqlite.Open(tb.Context(), migrated.Database(tb), secretbox.Fresh())
	if err != nil {
		tb.Fatalf("sqlite.Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

func BenchmarkStore(b *testing.B) {
	storetest.Benchmark(b, func(b *testing.B) store.Store { return open(b) })
}
