// Package benchdb gives each benchmark run a database of its own, an empty SQLite file or an
// empty PostgreSQL database (on a server the user names, or on a throwaway one started for the
// run), opened with the store's own settings, and a loader that writes rows straight into its
// migrated schema.
package benchdb

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"disputed/internal/secretbox"
	"disputed/internal/store/pgtest"
	"disputed/internal/store/postgres"
	"disputed/internal/store/sqlite"
	"disputed/internal/store/sqlstore"
)

// The stores a benchmark runs on.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// PostgresSettings are the throwaway server's: the durability of the SQLite store (WAL with
// synchronous NORMAL, where a crash may lose the last commits but never corrupts), so fsync and
// full-page writes stay on and only the commit does not wait for the disk; shared buffers large
// enough to hold a million disputes, as the page cache holds SQLite's file; and the cost of a
// random read on an SSD (1.1, as commonly advised, against the default 4 for spinning disks),
// without which the planner reads won disputes through the created_at index, expecting them
// spread evenly over time (17 ms at a million disputes, against 0.3 ms through the status index).
const PostgresSettings = "-c synchronous_commit=off -c shared_buffers=512MB -c random_page_cost=1.1 -c max_connections=100"

// Target is where a benchmark program runs, from its flags.
type Target struct {
	Store       string
	PostgresURL string // a server's postgres database, on which runs create their own
	started     bool
}

// AddFlags defines -store and -pg on fs.
func AddFlags(fs *flag.FlagSet) *Target {
	t := &Target{}
	fs.StringVar(&t.Store, "store", SQLite, "sqlite or postgres")
	fs.StringVar(&t.PostgresURL, "pg", "", "postgres:// URL of a server where the user may create databases; default a throwaway server")
	return t
}

// Fresh returns an empty database on the target, starting the throwaway PostgreSQL server on
// first use.
func (t *Target) Fresh(ctx context.Context) (*DB, error) {
	switch t.Store {
	case SQLite:
		dir, err := os.MkdirTemp("", "bench-")
		if err != nil {
			return nil, err
		}
		return &DB{Store: SQLite, DSN: filepath.Join(dir, "disputed.db"), remove: func() error { return os.RemoveAll(dir) }}, nil
	case Postgres:
		server, err := t.Server()
		if err != nil {
			return nil, err
		}
		url, drop, err := pgtest.CreateDatabase(ctx, server, "bench_")
		if err != nil {
			return nil, err
		}
		return &DB{Store: Postgres, DSN: url, remove: func() error { return drop(context.Background()) }}, nil
	}
	return nil, fmt.Errorf("-store %q: sqlite or postgres", t.Store)
}

// Server returns the URL of the PostgreSQL server's postgres database, starting the throwaway
// server on first use when -pg named none.
func (t *Target) Server() (string, error) {
	if t.PostgresURL == "" {
		url, err := pgtest.Start(PostgresSettings)
		if err != nil {
			return "", err
		}
		t.PostgresURL, t.started = url, true
	}
	return t.PostgresURL, nil
}

// Close stops the throwaway server, if this target started one.
func (t *Target) Close() {
	if t.started {
		pgtest.Stop()
	}
}

// DB is one run's database.
type DB struct {
	Store  string
	DSN    string // the file's path, or the database's postgres:// URL
	remove func() error
}

// Open opens the database with the store's settings (SQLite's one write connection, or a
// PostgreSQL pool), its schema migrated.
func (d *DB) Open(ctx context.Context) (*sql.DB, error) {
	if d.Store == Postgres {
		return postgres.Connect(ctx, d.DSN)
	}
	return sqlite.OpenWriter(ctx, d.DSN)
}

// OpenStore opens the database as the server does (sqlite.Open, postgres.Open: its pools, its
// prepared statements), its secrets sealed with keys: the key of the server that ran on it.
func (d *DB) OpenStore(ctx context.Context, keys *secretbox.Ring) (*sqlstore.Store, error) {
	if d.Store == Postgres {
		return postgres.Open(ctx, d.DSN, keys)
	}
	return sqlite.Open(ctx, d.DSN, keys)
}

// Remove deletes the database.
func (d *DB) Remove() error {
	if d.remove == nil {
		return errors.New("benchdb: no database")
	}
	return d.remove()
}
