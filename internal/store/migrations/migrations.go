// Package migrations holds the numbered SQL migrations of the schema, embedded in the binary,
// and runs them with goose. Every file must run unchanged on SQLite and on PostgreSQL; sqlc reads
// the same files as the schema it compiles the queries against. The migrations in Go are those
// SQL cannot say in words both databases run (00038, 00042, whose rows are split in Go), or that
// differ by database (00039, whose index no query of sqlc's names; 00042).
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
)

//go:embed *.sql
var files embed.FS

// The dialects Up accepts, named as goose names them.
const (
	SQLite   = string(database.DialectSQLite3)
	Postgres = string(database.DialectPostgres)
)

// Up applies every migration that db has not seen yet. On PostgreSQL it holds an advisory lock
// for the whole run, so that server instances starting together take turns instead of racing to
// create the same tables; SQLite serialises writers by itself.
func Up(ctx context.Context, db *sql.DB, dialect string) error {
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithGoMigrations(inGo(dialect)...)}
	switch dialect {
	case SQLite:
	case Postgres:
		opts = append(opts, goose.WithSessionLocker(advisoryLock{}))
	default:
		return fmt.Errorf("migrations: unknown dialect %q", dialect)
	}
	p, err := goose.NewProvider(database.Dialect(dialect), db, files, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	return nil
}

// inGo are the migrations written in Go, beside the SQL files, for dialect.
func inGo(dialect string) []*goose.Migration {
	return []*goose.Migration{inboxIDs(), searchIndex(dialect), disputeWords(dialect), orderWords()}
}

// Newest is the schema version the migrations bring a database to. A database at a newer one
// was migrated by a newer binary, whose schema this one does not know.
func Newest() int64 {
	var newest int64
	for _, m := range inGo(SQLite) { // the same versions in either dialect
		newest = max(newest, m.Version)
	}
	names, _ := fs.Glob(files, "*.sql") // a fixed pattern, which cannot be malformed
	for _, name := range names {
		// goose refuses a migration file without a version (Up fails), so none is missed here.
		if v, err := goose.NumericComponent(name); err == nil && v > newest {
			newest = v
		}
	}
	return newest
}
