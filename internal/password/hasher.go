package password

import (
	"context"
	"time"

	"disputed/internal/fault"
)

// The default bound on hashes: 4 at once is 256 MiB at most, and a request waits up to 5 s for
// its turn (a hash takes a fraction of a second on an idle core, so a queue of honest sign-ins
// clears in time).
const (
	DefaultSlots = 4
	DefaultWait  = 5 * time.Second
)

// ErrBusy refuses a hash that did not get its turn in time: the server is computing as many as it
// allows (sign-ins from everywhere at once, or a flood of them). The same request a few seconds
// later may pass.
var ErrBusy = fault.New(fault.Unavailable, "busy", "", "too many sign-ins at this moment: try again in a few seconds")

// Hasher computes the argon2id hashes of one process, at most a fixed number at once, so that
// sign-ins without credentials cannot take the server's memory (64 MiB each): every sign-in, the
// first admin's setup, a new user and a password reset go through the one Hasher of the server.
type Hasher struct {
	slots chan struct{}
	wait  time.Duration
}

// NewHasher allows slots hashes at once (at least one); a caller waits up to wait for a turn.
func NewHasher(slots int, wait time.Duration) *Hasher {
	return &Hasher{slots: make(chan struct{}, max(slots, 1)), wait: wait}
}

// Hash returns the PHC string of password with a fresh salt, or ErrBusy.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	t, err := h.Turn(ctx)
	if err != nil {
		return "", err
	}
	defer t.Release()
	return t.Hash(password)
}

// Turn waits for a slot, up to the Hasher's wait (ErrBusy after it), and holds it until Release:
// a sign-in takes its turn before anything else, so that it is counted only once it can be
// checked.
func (h *Hasher) Turn(ctx context.Context) (*Turn, error) {
	release, err := h.turn(ctx)
	if err != nil {
		return nil, err
	}
	return &Turn{release: release}, nil
}

// Turn is one slot of a Hasher, for one caller.
type Turn struct{ release func() }

// Release frees the slot.
func (t *Turn) Release() { t.release() }

// Hash returns the PHC string of password with a fresh salt.
func (t *Turn) Hash(password string) (string, error) { return hash(password) }

// Check returns nil when password matches the PHC string, ErrMismatch when it does not, and
// another error when the string is not one Hash writes.
func (t *Turn) Check(phc, password string) error { return check(phc, password) }

// turn takes a free slot, waiting up to the Hasher's wait, and returns the function that frees it.
func (h *Hasher) turn(ctx context.Context) (func(), error) {
	release := func() { <-h.slots }
	select {
	case h.slots <- struct{}{}:
		return release, nil
	default:
	}
	timer := time.NewTimer(h.wait)
	defer timer.Stop()
	select {
	case h.slots <- struct{}{}:
		return release, nil
	case <-timer.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
