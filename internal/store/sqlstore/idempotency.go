package sqlstore

import (
	"context"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertIdempotency(ctx context.Context, r store.Idempotency) error {
	err := inserted(t.q.InsertIdempotency(ctx, query.InsertIdempotencyParams{
		KeyID: r.KeyID, Key: r.Key, RequestHash: r.RequestHash, Status: int32(r.Status),
		Body: bytesOrNil(r.Body), CreatedAt: millis(r.CreatedAt), Claim: r.Claim,
	}))
	if err != nil {
		return t.fail(err, "claim idempotency key %q", r.Key)
	}
	return nil
}

// CompleteIdempotency stores the status and body; store.ErrNotFound when r.Claim does not hold
// the key.
func (t *tx) CompleteIdempotency(ctx context.Context, r store.Idempotency) error {
	n, err := t.q.CompleteIdempotency(ctx, query.CompleteIdempotencyParams{
		KeyID: r.KeyID, Key: r.Key, Status: int32(r.Status), Body: bytesOrNil(r.Body), Claim: r.Claim,
	})
	return t.oneRow(n, err, "complete idempotency key %q", r.Key)
}

// DeleteIdempotency releases a claim; store.ErrNotFound when r.Claim does not hold the key.
func (t *tx) DeleteIdempotency(ctx context.Context, r store.Idempotency) error {
	n, err := t.q.DeleteIdempotency(ctx, query.DeleteIdempotencyParams{KeyID: r.KeyID, Key: r.Key, Claim: r.Claim})
	return t.oneRow(n, err, "delete idempotency key %q", r.Key)
}

func (t *tx) TakeOverIdempotency(ctx context.Context, r store.Idempotency, abandonedBefore time.Time) error {
	n, err := t.q.TakeOverIdempotency(ctx, query.TakeOverIdempotencyParams{KeyID: r.KeyID, Key: r.Key, Claim: r.Claim,
		CreatedAt: millis(r.CreatedAt), AbandonedBefore: millis(abandonedBefore)})
	return t.oneRow(n, err, "take over idempotency key %q", r.Key)
}

// markCommitted marks c's claim committed (at c.At), in the transaction about to commit;
// store.ErrConflict when the claim no longer holds its key (a retry took it over).
func (t *tx) markCommitted(ctx context.Context, c *store.ClaimedRequest) error {
	at := c.At
	if at.IsZero() {
		at = time.Now()
	}
	n, err := t.q.MarkIdempotencyCommitted(ctx, query.MarkIdempotencyCommittedParams{
		KeyID: c.KeyID, Key: c.Key, Claim: c.Claim, CommittedAt: nullMillis(at)})
	if err == nil && n == 0 {
		err = store.ErrConflict
	}
	if err != nil {
		return t.fail(err, "mark idempotency key %q committed", c.Key)
	}
	return nil
}

// oneRow is the error of a statement that must change exactly one row: store.ErrNotFound when
// it changed none.
func (t *tx) oneRow(n int64, err error, format string, args ...any) error {
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, format, args...)
	}
	return nil
}

func (t *tx) PurgeIdempotency(ctx context.Context, before time.Time) (int64, error) {
	n, err := t.q.PurgeIdempotency(ctx, millis(before))
	if err != nil {
		return 0, t.fail(err, "purge idempotency keys before %s", before)
	}
	return n, nil
}

// GetIdempotency gives back a nil Body while the request runs.
func (c *conn) GetIdempotency(ctx context.Context, keyID, key string) (store.Idempotency, error) {
	r, err := c.q.GetIdempotency(ctx, query.GetIdempotencyParams{KeyID: keyID, Key: key})
	if err != nil {
		return store.Idempotency{}, c.fail(err, "get idempotency key %q", key)
	}
	return store.Idempotency{
		KeyID: r.KeyID, Key: r.Key, RequestHash: r.RequestHash, Status: int(r.Status),
		Body: bytesOrNil(r.Body), CreatedAt: fromMillis(r.CreatedAt), Claim: r.Claim, CommittedAt: fromNullMillis(r.CommittedAt),
	}, nil
}
