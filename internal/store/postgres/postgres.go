// Package postgres opens the store on PostgreSQL, through pgx's database/sql driver so that it
// runs the same sqlstore code as SQLite.
package postgres

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"disputed/internal/secretbox"
	"disputed/internal/store/migrations"
	"disputed/internal/store/sqlstore"
)

// Pool sizes: PostgreSQL serves one query per connection, and a few more connections than cores
// keep it busy while others wait on the network; idle ones are kept so that a burst does not
// pay for connecting, but not forever, so a quiet server frees them.
const (
	maxOpen     = 16
	maxIdle     = 8
	maxIdleTime = 5 * time.Minute
	maxLifetime = time.Hour
)

// The job statements that PostgreSQL words its own way (see sqlstore.Dialect), each in a file of
// its own.
var (
	//go:embed claim_jobs.sql
	claimJobs string
	//go:embed next_job.sql
	nextJobAt string
)

// PostgreSQL's SQLSTATEs for a violated unique constraint or primary key, a deadlock, and a
// serialization failure.
const (
	uniqueViolation      = "23505"
	deadlockDetected     = "40P01"
	serializationFailure = "40001"
)

// Open connects to the database at url (postgres://…), brings its schema up to date and returns
// the store, which seals the secrets it keeps with keys. Server instances may start together:
// migrations run under an advisory lock.
func Open(ctx context.Context, url string, keys *secretbox.Ring) (*sqlstore.Store, error) {
	db, err := Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	// One pool serves reads and transactions: PostgreSQL has no single writer to protect.
	s, err := sqlstore.New(ctx, db, db, dialect(), keys)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("postgres: %w", err), db.Close())
	}
	return s, nil
}

// dialect is how PostgreSQL words what the store's statements leave to the database.
func dialect() sqlstore.Dialect {
	return sqlstore.Dialect{IsUnique: isUnique, ClaimJobs: claimJobs, NextJobAt: nextJobAt,
		ExtendedField: "(CAST(%[1]s AS JSON) -> CAST(%[2]s AS TEXT) ->> 'value')",
		SkipLocked:    " FOR UPDATE OF e SKIP LOCKED", Trigrams: sqlstore.PgTrgmIndexes,
		JSONTexts: "SELECT jsonb_array_elements_text(CAST(%s AS JSONB))",
		LockKeys:  "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM jsonb_array_elements_text(CAST($1 AS JSONB)) AS k"}
}

// Migrate brings the schema of the database at url up to date.
func Migrate(ctx context.Context, url string) error {
	db, err := Connect(ctx, url)
	if err != nil {
		return err
	}
	return db.Close()
}

// Connect opens a pool on url, sized as the store's, and runs the migrations. Programs that
// write rows straight into the schema (the benchmarks' loaders) use it.
func Connect(ctx context.Context, url string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	serial(cfg)
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(maxOpen)
	db.SetMaxIdleConns(maxIdle)
	db.SetConnMaxIdleTime(maxIdleTime)
	db.SetConnMaxLifetime(maxLifetime)
	if err := migrations.Up(ctx, db, migrations.Postgres); err != nil {
		return nil, errors.Join(fmt.Errorf("postgres: %w", err), db.Close())
	}
	return db, nil
}

// serial turns PostgreSQL's parallel query off on the server's connections, unless the URL sets
// it (…?max_parallel_workers_per_gather=2): the server's statements read an index's few rows
// or walk at most a bounded number of them, and the worker processes PostgreSQL starts for
// each parallel plan cost more than the work they share. At a million disputes, the planner
// chose one to read the 56,000 index entries of a due_before over old disputes, and the list
// took 53 ms instead of 15 (BENCHMARKS.md, session 23).
func serial(cfg *pgx.ConnConfig) {
	if _, set := cfg.RuntimeParams[parallelWorkers]; !set {
		cfg.RuntimeParams[parallelWorkers] = "0"
	}
}

const parallelWorkers = "max_parallel_workers_per_gather"

// isUnique reports a write that lost a race to another transaction: a violated unique
// constraint, or a deadlock or serialization failure, which running the write again on fresh
// data resolves as well.
func isUnique(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && (e.Code == uniqueViolation || e.Code == deadlockDetected || e.Code == serializationFailure)
}
