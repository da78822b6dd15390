package sqlstore

import (
	"context"
	"errors"
	"fmt"
)

// Savepoint runs fn inside a savepoint: when fn fails its writes are undone and the transaction
// goes on without them. Both databases nest savepoints of the same name, innermost first. On
// PostgreSQL this is also what lets a transaction continue after a failed statement.
func (t *tx) Savepoint(ctx context.Context, fn func() error) error {
	if _, err := t.stmt(ctx, t.own.savepoint).ExecContext(ctx); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	counted := t.pending.clone()
	if err := fn(); err != nil {
		t.memo.forget()     // what the savepoint wrote is undone, and the memo may hold it
		t.pending = counted // and so are the rows it counted
		if _, rerr := t.stmt(ctx, t.own.rollbackTo).ExecContext(ctx); rerr != nil {
			return errors.Join(err, fmt.Errorf("roll back to savepoint: %w", rerr))
		}
		if _, rerr := t.stmt(ctx, t.own.release).ExecContext(ctx); rerr != nil {
			return errors.Join(err, fmt.Errorf("release savepoint: %w", rerr))
		}
		return err
	}
	if _, err := t.stmt(ctx, t.own.release).ExecContext(ctx); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}
