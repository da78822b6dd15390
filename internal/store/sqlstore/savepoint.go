package sqlstore

import (
	"context"
	"errors"
	"fmt"
)

// Savepoint runs fn inside a savepoint: when fn fails its writes are undone and the transaction
// goes on without them. Both databases nest savepoints of the same name, innermost first. On
// PostgreSQL this is also what lets a transaction continue after a failed statement.
//
// The rows appended before the savepoint are inserted first: held until the commit, they would
// be inserted inside the savepoint, and undone with it. Those fn appends are inserted before
// the savepoint ends, so that their failure is fn's, and undoes fn alone.
func (t *tx) Savepoint(ctx context.Context, fn func() error) error {
	if err := t.insertAppends(ctx); err != nil {
		return err
	}
	if _, err := t.stmt(ctx, t.own.savepoint).ExecContext(ctx); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	counted := t.pending.clone()
	err := fn()
	if err == nil {
		err = t.insertAppends(ctx)
	}
	if err != nil {
		t.memo.forget()       // what the savepoint wrote is undone, and the memo may hold it
		t.pending = counted   // and so are the rows it counted
		t.appends = appends{} // and those it appended, inserted or not
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
