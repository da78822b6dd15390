package sqlstore

import (
	"context"
	"errors"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

// CountSignInAttempt returns store.ErrConflict, having counted nothing, when the pair is locked.
func (t *tx) CountSignInAttempt(ctx context.Context, email, address string, now time.Time) (store.SignInFailures, error) {
	r, err := t.q.CountSignInAttempt(ctx, query.CountSignInAttemptParams{Email: email, Address: address, Now: millis(now)})
	if err != nil {
		err = t.fail(err, "count a sign-in attempt")
		if errors.Is(err, store.ErrNotFound) { // the upsert's WHERE held it back: locked
			err = store.ErrConflict
		}
		return store.SignInFailures{}, err
	}
	return signInFailuresFromRow(r), nil
}

func (t *tx) LockSignIn(ctx context.Context, email, address string, until time.Time) error {
	n, err := t.q.LockSignIn(ctx, query.LockSignInParams{Email: email, Address: address, LockedUntil: millis(until)})
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "lock sign-ins")
	}
	return nil
}

func (t *tx) ClearSignInFailures(ctx context.Context, email, address string) error {
	if _, err := t.q.DeleteSignInFailures(ctx, query.DeleteSignInFailuresParams{Email: email, Address: address}); err != nil {
		return t.fail(err, "clear sign-in failures")
	}
	return nil
}

func (t *tx) PurgeSignInFailures(ctx context.Context, before time.Time) (int, error) {
	n, err := t.q.PurgeSignInFailures(ctx, millis(before))
	if err != nil {
		return 0, t.fail(err, "purge sign-in failures")
	}
	return int(n), nil
}

func (c *conn) GetSignInFailures(ctx context.Context, email, address string) (store.SignInFailures, error) {
	r, err := c.q.GetSignInFailures(ctx, query.GetSignInFailuresParams{Email: email, Address: address})
	if err != nil {
		return store.SignInFailures{}, c.fail(err, "get sign-in failures")
	}
	return signInFailuresFromRow(r), nil
}

func (c *conn) ListSignInLocks(ctx context.Context, now time.Time, limit int) ([]store.SignInFailures, error) {
	rows, err := c.q.ListSignInLocks(ctx, query.ListSignInLocksParams{Now: millis(now), Lim: int32(limit)})
	if err != nil {
		return nil, c.fail(err, "list sign-in locks")
	}
	out := make([]store.SignInFailures, len(rows))
	for i, r := range rows {
		out[i] = signInFailuresFromRow(r)
	}
	return out, nil
}

// signInFailuresFromRow reads locked_until 0 (never locked) as the zero time.
func signInFailuresFromRow(r query.SigninFailure) store.SignInFailures {
	f := store.SignInFailures{Email: r.Email, Address: r.Address, Failures: int(r.Failures), UpdatedAt: fromMillis(r.UpdatedAt)}
	if r.LockedUntil != 0 {
		f.LockedUntil = fromMillis(r.LockedUntil)
	}
	return f
}

func (t *tx) InsertSetupToken(ctx context.Context, hash string, createdAt time.Time) error {
	if err := inserted(t.q.InsertSetupToken(ctx, query.InsertSetupTokenParams{Hash: hash, CreatedAt: millis(createdAt)})); err != nil {
		return t.fail(err, "insert setup token")
	}
	return nil
}

func (t *tx) DeleteSetupTokens(ctx context.Context) error {
	if _, err := t.q.DeleteSetupTokens(ctx); err != nil {
		return t.fail(err, "delete setup tokens")
	}
	return nil
}

func (c *conn) SetupTokenExists(ctx context.Context, hash string) (bool, error) {
	n, err := c.q.SetupTokenExists(ctx, hash)
	if err != nil {
		return false, c.fail(err, "find setup token")
	}
	return n > 0, nil
}
