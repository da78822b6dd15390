package migrations

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3/lock"
)

// lockID names the advisory lock migrations hold; any constant works as long as nothing else in
// the database uses it.
const lockID = 0x6469737075746564 // "disputed"

// advisoryLock is a goose session locker that waits in pg_advisory_lock. goose's own PostgreSQL
// locker polls pg_try_advisory_lock every few seconds, which makes the second of two instances
// starting together wait for seconds instead of until the first is done.
type advisoryLock struct{}

var _ lock.SessionLocker = advisoryLock{}

func (advisoryLock) SessionLock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(lockID)); err != nil {
		return fmt.Errorf("taking the migration lock: %w", err)
	}
	return nil
}

func (advisoryLock) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", int64(lockID)); err != nil {
		return fmt.Errorf("releasing the migration lock: %w", err)
	}
	return nil
}
