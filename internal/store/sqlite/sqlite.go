// Package sqlite opens the store on an SQLite file, the embedded default. It is a thin shell
// around sqlstore: the SQLite connection settings, the placeholder rewrite, and how SQLite reports
// a unique violation.
package sqlite

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"disputed/internal/secretbox"
	"disputed/internal/store/migrations"
	"disputed/internal/store/sqlstore"
)

// Connection settings, in the DSN because a PRAGMA sent with Exec would set one pooled connection
// only. WAL lets the readers run while the writer writes; NORMAL synchronous is safe with WAL (a
// power cut may lose the last commits, never corrupt the file); the busy timeout covers other
// processes on the same file, since writers of this one queue on the one write connection.
const (
	common = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)"
	// writeParams make every transaction BEGIN IMMEDIATE: a transaction that reads and then
	// writes takes the write lock first, instead of failing with SQLITE_BUSY when it upgrades.
	// The writer checkpoints the log itself only past 4,000 pages (16 MB): the checkpointer
	// (checkpoint.go) does it from its own connection long before.
	writeParams = common + "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)" +
		"&_pragma=wal_autocheckpoint(4000)&_txlock=immediate"
	readParams = common + "&_pragma=query_only(1)"
)

// The job statements that SQLite words its own way (see sqlstore.Dialect), each in a file of
// its own.
var (
	//go:embed claim_jobs.sql
	claimJobs string
	//go:embed next_job.sql
	nextJobAt string
)

// readers is the size of the read pool: WAL readers do not block each other or the writer.
const readers = 4

// Open opens (creating it if needed) the database at path, a file path or a file: URI, and
// brings its schema up to date; the secrets it keeps are sealed with keys. A :memory: database
// does not work: every connection would have its own.
func Open(ctx context.Context, path string, keys *secretbox.Ring) (*sqlstore.Store, error) {
	write, err := OpenWriter(ctx, path)
	if err != nil {
		return nil, err
	}
	// The readers open after the migrations, which created the file and switched it to WAL.
	read, err := openPool(path, readParams, readers)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: %w", err), write.Close())
	}
	s, err := sqlstore.New(ctx, read, write, dialect(), keys)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: %s: %w", path, err), read.Close(), write.Close())
	}
	ckpt, err := startCheckpointer(path)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: %w", err), s.Close())
	}
	s.CloseFirst(ckpt.Close)
	return s, nil
}

// dialect is how SQLite words what the store's statements leave to the database.
func dialect() sqlstore.Dialect {
	return sqlstore.Dialect{
		Rebind: rebind, IsUnique: isUnique, ClaimJobs: claimJobs, NextJobAt: nextJobAt,
		ExtendedField: "json_extract(%[1]s, '$.' || %[2]s || '.value')",
		Trigrams:      sqlstore.FTS5Tables,
		JSONTexts:     "SELECT value FROM json_each(%s)",
	}
}

// Migrate brings the schema of the database at path up to date.
func Migrate(ctx context.Context, path string) error {
	write, err := OpenWriter(ctx, path)
	if err != nil {
		return err
	}
	return write.Close()
}

// OpenWriter opens the one-connection write pool, with the store's settings, and runs the
// migrations on it. Programs that write rows straight into the schema (the benchmarks' loaders)
// use it to get the store's durability.
func OpenWriter(ctx context.Context, path string) (*sql.DB, error) {
	write, err := openPool(path, writeParams, 1)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if err := migrations.Up(ctx, write, migrations.SQLite); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: %s: %w", path, err), write.Close())
	}
	return write, nil
}

func openPool(path, params string, size int) (*sql.DB, error) {
	dsn, err := dsnOf(path, params)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(size)
	db.SetMaxIdleConns(size) // reopening would repeat the pragmas and drop SQLite's page cache
	return db, nil
}

// dsnOf adds params to path. The driver reads parameters after the first '?', so a plain path
// with a '?' of its own cannot carry them: such a file needs a file: URI with the '?' escaped.
func dsnOf(path, params string) (string, error) {
	switch {
	case path == "":
		return "", errors.New("no database path")
	case strings.HasPrefix(path, "file:") && strings.Contains(path, "?"):
		return path + "&" + params, nil
	case strings.HasPrefix(path, "file:"):
		return path + "?" + params, nil
	case strings.Contains(path, "?"):
		return "", fmt.Errorf("database path %q has a '?': write it as a file: URI with %%3F", path)
	}
	return path + "?" + params, nil
}

// isUnique reports a violated UNIQUE constraint or primary key.
func isUnique(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}
