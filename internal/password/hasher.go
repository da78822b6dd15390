package password

import (
	"context"
	"sync"
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
var ErrBusy = fault.New(fault.Unavailable, fault.CodeBusy, "", "too many sign-ins at this moment: try again in a few seconds")

// Hasher computes the argon2id hashes of one process, at most a fixed number at once, so that
// sign-ins without credentials cannot take the server's memory (64 MiB each): every sign-in, the
// first admin's setup, a new user and a password reset go through the one Hasher of the server.
type Hasher struct {
	cost  cost
	slots chan struct{}
	wait  time.Duration

	mu      sync.Mutex
	clients map[string]*client // the clients with a turn held or awaited (TurnFor)
}

// client is one client's own slot, and how many of its requests hold or await it.
type client struct {
	slot  chan struct{}
	users int
}

// NewHasher allows slots hashes at once (at least one); a caller waits up to wait for a turn.
func NewHasher(slots int, wait time.Duration) *Hasher {
	return newHasher(productionCost, slots, wait)
}

// NewTestHasher is a Hasher with the default bound whose hashes cost the least argon2id allows,
// for test servers only: at the production cost, the users, sign-ins and setups of a test run
// spent half its CPU hashing. Its hashes are checked like any other (each carries its cost), and
// a test of the bound itself (busy, lockout) uses NewHasher, whose hashes take their real time.
func NewTestHasher() *Hasher {
	return newHasher(testCost, DefaultSlots, DefaultWait)
}

func newHasher(c cost, slots int, wait time.Duration) *Hasher {
	return &Hasher{cost: c, slots: make(chan struct{}, max(slots, 1)), wait: wait, clients: map[string]*client{}}
}

// TurnFor is Turn for one client (a sign-in's address): a client's requests take their turns one
// after the other, so that one client's flood of sign-ins holds one slot at most and everybody
// else's turns still come; like Turn, a request that waited the Hasher's wait in all is ErrBusy.
func (h *Hasher) TurnFor(ctx context.Context, name string) (*Turn, error) {
	h.mu.Lock()
	c := h.clients[name]
	if c == nil {
		c = &client{slot: make(chan struct{}, 1)}
		h.clients[name] = c
	}
	c.users++
	h.mu.Unlock()
	leave := func() {
		h.mu.Lock()
		if c.users--; c.users == 0 {
			delete(h.clients, name)
		}
		h.mu.Unlock()
	}
	deadline := time.Now().Add(h.wait) // the client's queue and the Hasher's share one wait
	if err := take(ctx, c.slot, deadline); err != nil {
		leave()
		return nil, err
	}
	if err := take(ctx, h.slots, deadline); err != nil {
		<-c.slot
		leave()
		return nil, err
	}
	return &Turn{cost: h.cost, release: func() { <-h.slots; <-c.slot; leave() }}, nil
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
	return &Turn{cost: h.cost, release: release}, nil
}

// Turn is one slot of a Hasher, for one caller.
type Turn struct {
	cost    cost
	release func()
}

// Release frees the slot.
func (t *Turn) Release() { t.release() }

// Hash returns the PHC string of password with a fresh salt.
func (t *Turn) Hash(password string) (string, error) { return hash(t.cost, password) }

// Check returns nil when password matches the PHC string, ErrMismatch when it does not, and
// another error when the string is not one Hash writes.
func (t *Turn) Check(phc, password string) error { return check(phc, password) }

// turn takes a free slot, waiting up to the Hasher's wait, and returns the function that frees it.
func (h *Hasher) turn(ctx context.Context) (func(), error) {
	if err := take(ctx, h.slots, time.Now().Add(h.wait)); err != nil {
		return nil, err
	}
	return func() { <-h.slots }, nil
}

// take puts a token in slot: at once when there is room, else waiting until the deadline
// (ErrBusy) or until the request goes away (its error).
func take(ctx context.Context, slot chan struct{}, deadline time.Time) error {
	select {
	case slot <- struct{}{}:
		return nil
	default:
	}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case slot <- struct{}{}:
		return nil
	case <-timer.C:
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}
