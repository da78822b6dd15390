package store

import (
	"context"
	"errors"
	"time"

	"disputed/internal/fault"
)

// Retry runs fn in one write transaction of w, at the time now gives (the precision the store
// keeps). When retry is set (the caller pinned no revision), a write that lost a race against
// another writer (ErrConflict) runs again on fresh data, five times in all, so that a caller who
// did not ask for optimistic concurrency never sees a race it could not see. A race lost every
// time is the API's concurrent_update conflict; any other error returns at once.
func Retry(ctx context.Context, w Transactor, retry bool, now func() time.Time, fn func(tx Tx, now time.Time) error) error {
	attempts := 1
	if retry {
		attempts = 5
	}
	for range attempts {
		err := w.Tx(ctx, func(tx Tx) error { return fn(tx, AtPrecision(now())) })
		if !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return fault.ConcurrentUpdate()
}
