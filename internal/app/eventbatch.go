package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"disputed/internal/provider"
	"disputed/internal/store"
)

// eventQueue gathers the provider events that arrive while a batch is being written, so that
// they are written together in the next one: a burst of webhooks (a provider replaying a day of
// events) costs one commit per batch instead of one per event. SQLite writes through one
// connection, and in the ingest benchmark a commit (its pages logged and checksummed) took a
// quarter of the server's time. Each event keeps its own all-or-nothing in a savepoint: one that
// fails is undone alone and answered with its own error, and an event is acknowledged only once
// its batch committed.
//
// Only a store with one writer (store.Writers) batches. PostgreSQL runs transactions side by
// side: there a batch would put its events in one line, one round trip after the other, and two
// batches each holding the claim of an event the other one also carries would deadlock.
//
// There is no goroutine of its own: the request whose event heads a batch writes it, then hands
// the turn to the head of the next batch, if events wait.
type eventQueue struct {
	mu      sync.Mutex
	waiting []*queuedEvent // events in no batch yet
	writing bool           // a batch is being written
}

// queuedEvent is a verified, parsed event waiting for its batch.
type queuedEvent struct {
	name string
	ev   provider.Event
	body []byte

	res   ProviderEventResult
	err   error
	batch []*queuedEvent // the batch this event heads, given with its turn
	turn  chan struct{}  // closed when this request is to write batch
	done  chan struct{}  // closed when res and err are final
}

// maxBatch bounds a batch, so that the first event of a burst is not held up by all the others.
const maxBatch = 64

// batchTimeout bounds the writing of a batch, which carries the events of other requests and so
// does not end when the one writing it is cancelled.
const batchTimeout = 30 * time.Second

// receiveQueued writes e, with the events waiting beside it when the store has one writer, and
// returns its result.
func (a *App) receiveQueued(ctx context.Context, e *queuedEvent) (ProviderEventResult, error) {
	if a.store.Writers() > 1 {
		a.writeOne(ctx, e)
		return e.res, e.err
	}
	q := &a.providerEvents
	e.turn, e.done = make(chan struct{}), make(chan struct{})
	q.mu.Lock()
	q.waiting = append(q.waiting, e)
	if !q.writing { // then no event was waiting: e heads the next batch
		q.writing = true
		q.handOver()
	}
	q.mu.Unlock()
	// A waiting request does not give up when its client does: the turn may come to it.
	select {
	case <-e.done:
		return e.res, e.err
	case <-e.turn:
	}
	defer q.next() // even when writing the batch panics, so that later events are not stuck
	a.writeBatch(context.WithoutCancel(ctx), e.batch)
	return e.res, e.err
}

// next hands the turn to the head of the next batch, if events wait.
func (q *eventQueue) next() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) > 0 {
		q.handOver()
	} else {
		q.writing = false
	}
}

// handOver takes the next batch out of the waiting events and wakes its head to write it. q.mu
// is held.
func (q *eventQueue) handOver() {
	n := min(len(q.waiting), maxBatch)
	head := q.waiting[0]
	head.batch = slices.Clone(q.waiting[:n])
	q.waiting = q.waiting[n:]
	close(head.turn)
}

// writeBatch writes the events of batch in one transaction, a savepoint each, and settles each
// one's result. A lone event, events that lost a race against another writer
// (store.ErrConflict: the same event from another server instance), and all of them when the
// commit failed, are written one by one in a transaction each, retried on a conflict.
func (a *App) writeBatch(ctx context.Context, batch []*queuedEvent) {
	settled := 0 // batch[:settled] are answered
	defer func() {
		if p := recover(); p != nil {
			// The events not answered yet must not wait for ever, nor be acknowledged.
			for _, e := range batch[settled:] {
				e.res, e.err = ProviderEventResult{}, fmt.Errorf("provider event %s: writing its batch failed: %v", e.ev.ID, p)
				close(e.done)
			}
			panic(p)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, batchTimeout)
	defer cancel()
	var err error
	if len(batch) > 1 {
		err = a.store.Tx(ctx, func(tx store.Tx) error {
			now := a.clock()
			for _, e := range batch {
				e.err = tx.Savepoint(ctx, func() error {
					var err error
					e.res, err = a.receiveProviderEvent(ctx, tx, now, e.name, e.ev, e.body)
					return err
				})
			}
			return nil
		})
	}
	for _, e := range batch {
		if len(batch) == 1 || err != nil || errors.Is(e.err, store.ErrConflict) {
			a.writeOne(ctx, e)
		}
		close(e.done)
		settled++
	}
}

// writeOne writes e in a transaction of its own, retried on a conflict.
func (a *App) writeOne(ctx context.Context, e *queuedEvent) {
	e.err = a.write(ctx, true, func(tx store.Tx, now time.Time) error {
		var err error
		e.res, err = a.receiveProviderEvent(ctx, tx, now, e.name, e.ev, e.body)
		return err
	})
}
