// Package sqlstore implements store.Store once for every SQL database: SQLite and PostgreSQL run
// the same generated queries (package query) through database/sql, and what differs between them
// (placeholder syntax, how a unique violation looks, one pool or two) is a small Dialect that the
// sqlite and postgres packages fill in when they open a database.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

// Dialect is what a database needs beyond the shared SQL.
type Dialect struct {
	// Rebind rewrites the generated queries' $N parameters for the driver; nil leaves them.
	Rebind func(query string) string
	// IsUnique reports whether err is a violated unique constraint or primary key, which the
	// store reports as store.ErrConflict.
	IsUnique func(err error) bool
}

// Store is a store.Store on a database/sql database.
type Store struct {
	conn  // reads outside a transaction, on the read pool
	read  *sql.DB
	write *sql.DB
}

var _ store.Store = (*Store)(nil)

// New returns a Store that reads from read and runs transactions on write; they may be the same
// pool. SQLite wants them apart: one connection for every write, so that writers queue in Go
// instead of failing on the file lock, and several for reads, which WAL lets run alongside.
// The Store owns both pools: Close closes them.
func New(read, write *sql.DB, d Dialect) *Store {
	return &Store{conn: newConn(read, d), read: read, write: write}
}

// Tx runs fn in a transaction on the write pool. The transaction commits when fn returns nil and
// rolls back otherwise, including when fn panics (the deferred rollback runs while the panic
// goes on). fn's error is returned as it is, so that callers still see their own errors.
func (s *Store) Tx(ctx context.Context, fn func(store.Tx) error) error {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = sqlTx.Rollback() // the error that made us roll back is the one worth reporting
		}
	}()
	if err := fn(&tx{conn: newConn(sqlTx, s.dialect)}); err != nil {
		return err
	}
	done = true
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Ping checks both pools.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// conn runs the queries on one pool or transaction; its methods are the store.Reader.
type conn struct {
	q       *query.Queries
	dialect Dialect
}

func newConn(db query.DBTX, d Dialect) conn {
	if d.Rebind != nil {
		db = rebound{db: db, rebind: d.Rebind}
	}
	return conn{q: query.New(db), dialect: d}
}

// tx adds the writes to a conn on a transaction.
type tx struct {
	conn
}

var _ store.Tx = (*tx)(nil)

// fail wraps a query's error with what was being done, turning "no rows" into store.ErrNotFound
// and a unique violation into store.ErrConflict (keeping the database's error for the log).
func (c *conn) fail(err error, format string, args ...any) error {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = store.ErrNotFound
	case c.dialect.IsUnique != nil && c.dialect.IsUnique(err):
		err = fmt.Errorf("%w: %w", store.ErrConflict, err)
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// inserted reports an INSERT … ON CONFLICT DO NOTHING that wrote no row as store.ErrConflict.
func inserted(rows int64, err error) error {
	if err == nil && rows == 0 {
		return fmt.Errorf("%w: a row with the same key exists", store.ErrConflict)
	}
	return err
}
