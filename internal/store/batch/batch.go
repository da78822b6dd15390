// Package batch writes together the writes that arrive while a batch is being written, so that a
// burst of them (a provider replaying a day of webhooks) costs one commit per batch instead of one
// per write. SQLite writes through one connection, and in the ingest benchmark a commit (its pages
// logged and checksummed) took a quarter of the server's time. Each write keeps its own
// all-or-nothing in a savepoint: one that fails is undone alone and answered with its own error,
// and a write is answered only once its batch committed.
//
// Only a store with one writer (store.Store.Writers) batches. PostgreSQL runs transactions side
// by side: there a batch would put its writes in one line, one round trip after the other, and
// two batches each holding a row the other one also writes would deadlock.
//
// There is no goroutine of its own: the request whose write heads a batch writes it, then hands
// the turn to the head of the next batch, if writes wait.
package batch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"disputed/internal/store"
)

// Store is what a Queue uses of the database: write transactions, and how many of them can
// make progress at the same moment.
type Store interface {
	store.Transactor
	Writers() int
}

// Queue gathers the writes that arrive while a batch is being written.
type Queue struct {
	store Store
	alone func(ctx context.Context, w func(context.Context, store.Tx) error) error

	mu      sync.Mutex
	waiting []*queued // writes in no batch yet
	writing bool      // a batch is being written
}

// queued is a write waiting for its batch.
type queued struct {
	w     func(context.Context, store.Tx) error
	err   error
	batch []*queued     // the batch this write heads, given with its turn
	turn  chan struct{} // closed when this request is to write batch
	done  chan struct{} // closed when err is final
}

// MaxBatch bounds a batch, so that the first write of a burst is not held up by all the others.
const MaxBatch = 64

// Timeout bounds the writing of a batch, which carries the writes of other requests and so does
// not end when the one writing it is cancelled.
const Timeout = 30 * time.Second

// New returns a Queue on s. alone writes one write in a transaction of its own: how the caller
// writes when there is nothing to batch (a lone write, or any write on a store with more than
// one writer), and what it does again when a batch could not take a write (the batch's commit
// failed, or the write lost a race to another writer: store.ErrConflict), with the caller's
// retries.
func New(s Store, alone func(ctx context.Context, w func(context.Context, store.Tx) error) error) *Queue {
	return &Queue{store: s, alone: alone}
}

// Write runs w, with the writes waiting beside it when the store has one writer, and returns
// w's error once its transaction committed or rolled back. w may run more than once (in a batch
// whose commit failed, then alone), so what it returns must be set anew on every run; the last
// run is the one that counts.
func (q *Queue) Write(ctx context.Context, w func(context.Context, store.Tx) error) error {
	if q.store.Writers() > 1 {
		return q.alone(ctx, w)
	}
	e := &queued{w: w, turn: make(chan struct{}), done: make(chan struct{})}
	q.mu.Lock()
	q.waiting = append(q.waiting, e)
	if !q.writing { // then no write was waiting: e heads the next batch
		q.writing = true
		q.handOver()
	}
	q.mu.Unlock()
	// A waiting request does not give up when its client does: the turn may come to it.
	select {
	case <-e.done:
		return e.err
	case <-e.turn:
	}
	defer q.next() // even when writing the batch panics, so that later writes are not stuck
	q.writeBatch(context.WithoutCancel(ctx), e.batch)
	return e.err
}

// next hands the turn to the head of the next batch, if writes wait.
func (q *Queue) next() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) > 0 {
		q.handOver()
	} else {
		q.writing = false
	}
}

// handOver takes the next batch out of the waiting writes and wakes its head to write it. q.mu
// is held.
func (q *Queue) handOver() {
	n := min(len(q.waiting), MaxBatch)
	head := q.waiting[0]
	head.batch = slices.Clone(q.waiting[:n])
	q.waiting = q.waiting[n:]
	close(head.turn)
}

// writeBatch writes the writes of batch in one transaction, a savepoint each, and settles each
// one's error. A lone write, writes that lost a race against another writer
// (store.ErrConflict: the same provider event from another server instance), and all of them
// when the commit failed, are written alone.
func (q *Queue) writeBatch(ctx context.Context, batch []*queued) {
	settled := 0 // batch[:settled] are answered
	defer func() {
		if p := recover(); p != nil {
			// The writes not answered yet must not wait for ever, nor be acknowledged.
			for _, e := range batch[settled:] {
				e.err = fmt.Errorf("writing its batch failed: %v", p)
				close(e.done)
			}
			panic(p)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	var err error
	if len(batch) > 1 {
		err = q.store.Tx(ctx, func(tx store.Tx) error {
			for _, e := range batch {
				e.err = tx.Savepoint(ctx, func() error { return e.w(ctx, tx) })
			}
			return nil
		})
	}
	for _, e := range batch {
		if len(batch) == 1 || err != nil || errors.Is(e.err, store.ErrConflict) {
			e.err = q.alone(ctx, e.w)
		}
		close(e.done)
		settled++
	}
}
