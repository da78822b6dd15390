package sqlstore

import (
	"context"
	"database/sql"

	"disputed/internal/store/query"
)

// rebound is the one place where a query's placeholders are rewritten for the driver: New
// prepares every generated query through it, and transactions run those prepared statements.
// It implements all of query.DBTX so that a query run unprepared would be rewritten too.
type rebound struct {
	db     query.DBTX
	rebind func(string) string
}

func (r rebound) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return r.db.ExecContext(ctx, r.rebind(q), args...)
}

func (r rebound) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return r.db.PrepareContext(ctx, r.rebind(q))
}

func (r rebound) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.db.QueryContext(ctx, r.rebind(q), args...)
}

func (r rebound) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return r.db.QueryRowContext(ctx, r.rebind(q), args...)
}
