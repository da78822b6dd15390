package store

import (
	"context"
	"sync/atomic"
	"time"
)

// ClaimedRequest is the Idempotency-Key claim of the request a context carries. Every write
// transaction run with that context marks the claim committed before it commits, in the same
// transaction, and fails (rolling back) when the claim is no longer the request's because a
// retry took over the key. After a crash the key then says whether the request changed
// anything: if not, a retry may run it again; if so, its change is stored even though its
// answer was lost, and it must never run twice.
type ClaimedRequest struct {
	KeyID, Key, Claim string
	At                time.Time // when the request came, by the server's clock: the mark's time
	committed         atomic.Bool
}

// Committed reports whether a transaction of the request committed.
func (c *ClaimedRequest) Committed() bool { return c.committed.Load() }

// SetCommitted records that a transaction of the request committed; stores call it.
func (c *ClaimedRequest) SetCommitted() { c.committed.Store(true) }

type claimKey struct{}

// WithClaim returns ctx carrying c.
func WithClaim(ctx context.Context, c *ClaimedRequest) context.Context {
	return context.WithValue(ctx, claimKey{}, c)
}

// ClaimOf returns the claim ctx carries, or nil.
func ClaimOf(ctx context.Context) *ClaimedRequest {
	c, _ := ctx.Value(claimKey{}).(*ClaimedRequest)
	return c
}
