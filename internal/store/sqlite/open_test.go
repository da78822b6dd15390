package sqlite

import (
	"path/filepath"
	"testing"

	"disputed/internal/secretbox"
	"disputed/internal/store"
)

func TestDSN(t *testing.T) {
	t.Parallel()
	tests := []struct{ path, want string }{
		{"/var/lib/disputed.db", "/var/lib/disputed.db?P"},
		{"file:/var/lib/disputed.db", "file:/var/lib/disputed.db?P"},
		{"file:disputed.db?cache=private", "file:disputed.db?cache=private&P"},
	}
	for _, tt := range tests {
		got, err := dsnOf(tt.path, "P")
		if err != nil || got != tt.want {
			t.Errorf("dsnOf(%q) = %q, %v; want %q", tt.path, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "/tmp/what?.db"} {
		if got, err := dsnOf(bad, "P"); err == nil {
			t.Errorf("dsnOf(%q) = %q, want an error", bad, got)
		}
	}
}

// TestReopen checks that data and schema survive closing, that migrating an up-to-date file
// is a no-op, and that a file: URI works like a path.
func TestReopen(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "disputed.db")
	if err := Migrate(ctx, path); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	keys := secretbox.Fresh()
	s, err := Open(ctx, path, keys)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	err = s.Tx(ctx, func(tx store.Tx) error {
		return tx.InsertCustomer(ctx, store.Customer{ID: "cus_1", Name: "Ada"})
	})
	if err != nil {
		t.Fatalf("Tx: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := Migrate(ctx, path); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	s, err = Open(ctx, "file:"+path, keys)
	if err != nil {
		t.Fatalf("Open file: URI: %v", err)
	}
	defer s.Close()
	c, err := s.GetCustomer(ctx, "cus_1")
	if err != nil || c.Name != "Ada" {
		t.Errorf("after reopening: %+v, %v; want Ada", c, err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

// TestReadPoolIsReadOnly checks that the pool behind the Reader methods cannot write: a write
// that slipped onto it would bypass the single writer.
func TestReadPoolIsReadOnly(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "disputed.db")
	if err := Migrate(ctx, path); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	read, err := openPool(path, readParams, readers)
	if err != nil {
		t.Fatalf("openPool: %v", err)
	}
	defer read.Close()
	if _, err := read.ExecContext(ctx, "DELETE FROM customers"); err == nil {
		t.Error("the read pool accepted a write")
	}
}
