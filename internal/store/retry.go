package store

import (
	"context"
	"errors"
)

// Writer runs write transactions: the part of a Store that Retry needs.
type Writer interface {
	Tx(ctx context.Context, fn func(Tx) error) error
}

// Retry runs fn in one write transaction of w, up to attempts times while it loses a race against
// another writer (ErrConflict), each time on fresh data, so that a use case whose caller did not
// pin a revision does not fail for a race it cannot see. ErrConflict is returned when every
// attempt lost; any other error at once.
func Retry(ctx context.Context, w Writer, attempts int, fn func(Tx) error) error {
	var err error
	for range max(attempts, 1) {
		if err = w.Tx(ctx, fn); !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return err
}
