package sqlite

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"disputed/internal/secretbox"
	"disputed/internal/store"
	"disputed/internal/store/sqlitetest"
)

// TestCheckpointerCopiesTheLog writes 150 transactions, some 2,400 pages (10 MB) of log: fewer
// than the writer's backstop of 4,000, so that the writer itself would leave them all in the log
// (the database file would not grow at all). The checkpointer copies them into the database file
// within a few of its ticks.
func TestCheckpointerCopiesTheLog(t *testing.T) {
	path := sqlitetest.NewTemplate(Migrate).Database(t)
	s, err := Open(t.Context(), path, secretbox.Fresh())
	if err != nil {
		t.Fatal(err)
	}
	// A store closed twice (a test's explicit Close and its cleanup) stops the checkpointer once.
	defer func() {
		for range 2 {
			if err := s.Close(); err != nil {
				t.Error(err)
			}
		}
	}()
	before := fileSize(t, path)
	now := time.Now()
	for i := range 150 {
		c := store.Customer{ID: fmt.Sprintf("cus_%04d", i), Email: fmt.Sprintf("buyer%d@example.com", i),
			Name: strings.Repeat(fmt.Sprintf("Buyer %d ", i), 300), CreatedAt: now, UpdatedAt: now}
		if err := s.Tx(t.Context(), func(tx store.Tx) error { return tx.InsertCustomer(t.Context(), c) }); err != nil {
			t.Fatal(err)
		}
	}
	const copied = 512 << 10
	for deadline := time.Now().Add(5 * time.Second); fileSize(t, path)-before < copied; {
		if time.Now().After(deadline) {
			t.Fatalf("the database file grew by %d bytes in 5 s after the writes; the checkpointer should have copied at least %d from the log",
				fileSize(t, path)-before, copied)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}
