package store

import (
	"context"
	"time"
)

// IdempotencyReader reads Idempotency-Key claims and their responses.
type IdempotencyReader interface {
	GetIdempotency(ctx context.Context, keyID, key string) (Idempotency, error)
}

// IdempotencyWriter writes Idempotency-Key claims and their responses, inside a Tx.
type IdempotencyWriter interface {
	// InsertIdempotency claims a key; ErrConflict when it is already claimed.
	InsertIdempotency(ctx context.Context, r Idempotency) error
	// CompleteIdempotency stores the response of a claimed key; ErrNotFound when the key is not
	// held by r.Claim (never claimed, or taken over).
	CompleteIdempotency(ctx context.Context, r Idempotency) error
	// DeleteIdempotency releases r's claim; ErrNotFound when the key is not held by r.Claim.
	DeleteIdempotency(ctx context.Context, r Idempotency) error
	// TakeOverIdempotency gives the key to r.Claim (claimed again at r.CreatedAt) when the claim
	// holding it was made before abandonedBefore and neither finished nor committed a change: the
	// request that made it died. ErrNotFound when the key is not in that state.
	TakeOverIdempotency(ctx context.Context, r Idempotency, abandonedBefore time.Time) error
	// PurgeIdempotency deletes keys created before the given time and reports how many.
	PurgeIdempotency(ctx context.Context, before time.Time) (int64, error)
}

// Idempotency is a claimed Idempotency-Key and, once the request finished, its response.
type Idempotency struct {
	KeyID       string // the API key the request was made with
	Key         string
	RequestHash string // method, path and body
	Status      int    // 0 while the request runs
	Body        []byte
	CreatedAt   time.Time // when the claim was made (or taken over)
	Claim       string    // the token of the request's run that holds the key
	// CommittedAt is when a transaction of the request committed its change (zero: none did).
	CommittedAt time.Time
}
