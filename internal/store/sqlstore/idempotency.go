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
		Body: bytesOrNil(r.Body), CreatedAt: millis(r.CreatedAt),
	}))
	if err != nil {
		return t.fail(err, "claim idempotency key %q", r.Key)
	}
	return nil
}

// CompleteIdempotency stores the status and body; store.ErrNotFound when the key was not claimed.
func (t *tx) CompleteIdempotency(ctx context.Context, r store.Idempotency) error {
	n, err := t.q.CompleteIdempotency(ctx, query.CompleteIdempotencyParams{
		KeyID: r.KeyID, Key: r.Key, Status: int32(r.Status), Body: bytesOrNil(r.Body),
	})
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "complete idempotency key %q", r.Key)
	}
	return nil
}

// DeleteIdempotency releases a claim; store.ErrNotFound when there is none.
func (t *tx) DeleteIdempotency(ctx context.Context, keyID, key string) error {
	n, err := t.q.DeleteIdempotency(ctx, query.DeleteIdempotencyParams{KeyID: keyID, Key: key})
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "delete idempotency key %q", key)
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
		Body: bytesOrNil(r.Body), CreatedAt: fromMillis(r.CreatedAt),
	}, nil
}
