package app

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"disputed/internal/id"
	"disputed/internal/store"
)

// The inbox's appends are committed in groups: the notifications that arrive while a group is
// being committed form the next one, written in one multi-row statement and one commit. A
// commit is most of what storing an event costs (on SQLite, its pages logged and synced), so a
// burst of notifications costs one commit per group instead of one each, and a lone one is
// written at once, without waiting for company.
//
// There is no goroutine of its own: the request at the head of a group writes it, then hands the
// turn to the head of the next group, if requests wait, and returns.

// maxInboxGroup bounds the events of a group, so that the first request of a burst is not held
// up by all the others (and a statement's parameters stay far below either database's limit).
const maxInboxGroup = 256

// inboxGroupTimeout bounds the writing of a group, which carries the events of other requests
// and so does not end when the request writing it is cancelled.
const inboxGroupTimeout = 30 * time.Second

// inboxAppender commits appends in groups.
type inboxAppender struct {
	store store.Transactor
	ids   *id.Generator
	// appended is told after each group committed, with the events it wrote, and whether the
	// appliers have work: not when every request of the group applies its own.
	appended func(events int, wake bool)

	mu      sync.Mutex
	waiting []*inboxAppend
	// writing: a group is being written. One at a time, on PostgreSQL too, whose commits could
	// overlap: a group then carries the requests that arrived during the last one's commit (3.6
	// events on average against 1.4 with four at once) for one flush of the log, and 36–60 % more
	// notifications were acknowledged a second, at half the p99 (BENCHMARKS.md, session 23).
	writing bool

	lastCommit   atomic.Int64 // when the last group committed, in Unix nanoseconds
	lastRequests atomic.Int64 // how many requests the last group carried
}

// queuing reports whether notifications queue for the writer: the last group committed
// carried several requests, which arrived while the one before it was being written.
func (ap *inboxAppender) queuing() bool { return ap.lastRequests.Load() > 1 }

// lastGroup is when the last group committed; zero before the first.
func (ap *inboxAppender) lastGroup() time.Time {
	if ns := ap.lastCommit.Load(); ns != 0 {
		return time.Unix(0, ns)
	}
	return time.Time{}
}

// waitingAppends reports whether appends wait for their group to be written, or are being written (on
// a store with one writer, behind whatever transaction holds it).
func (ap *inboxAppender) waitingAppends() bool {
	ap.mu.Lock()
	defer ap.mu.Unlock()
	return ap.writing || len(ap.waiting) > 0
}

// letWaitingGo waits until no append waits for the writer, at most bound: the appliers, done
// with a pass, let the appends that queued meanwhile go first rather than take the writer back
// at once, and those that queue behind them too, for at most as long as the pass took.
func (ap *inboxAppender) letWaitingGo(ctx context.Context, bound time.Duration) {
	waitWhile(ctx, ap.waitingAppends, bound, waitingPoll)
}

// waitingPoll is how often letWaitingGo looks whether the appends it waits for were written: a
// group of a few events commits in about a third of a millisecond on SQLite.
const waitingPoll = 100 * time.Microsecond

// inboxAppend is one request's events waiting for their group.
type inboxAppend struct {
	rows []store.ProviderEvent
	// applying: the request applies its events itself once stored (a notification that
	// arrived alone), so they need no applier woken.
	applying bool
	stored   []store.ProviderEvent
	err      error
	group    []*inboxAppend // the group this request heads, given with its turn
	turn     chan struct{}  // closed when this request is to write group
	done     chan struct{}  // closed when stored and err are final
}

// append stores rows, each given its id (in arrival order), and returns for each the event
// stored under its provider and event id once the group that carries them committed.
func (ap *inboxAppender) append(ctx context.Context, rows []store.ProviderEvent, applying bool) ([]store.ProviderEvent, error) {
	r := &inboxAppend{rows: rows, applying: applying, turn: make(chan struct{}), done: make(chan struct{})}
	ap.mu.Lock()
	for i := range rows {
		rows[i].ID = ap.ids.New("pev")
	}
	ap.waiting = append(ap.waiting, r)
	if !ap.writing {
		ap.writing = true
		ap.handOver()
	}
	ap.mu.Unlock()
	// A waiting request does not give up when its client does: the turn may come to it, and
	// its events may already be on their way into a group.
	select {
	case <-r.done:
		return r.stored, r.err
	case <-r.turn:
	}
	defer ap.next() // even when writing panics, so that later requests are not stuck
	ap.write(context.WithoutCancel(ctx), r.group)
	return r.stored, r.err
}

// next hands the turn to the head of the next group, if requests wait.
func (ap *inboxAppender) next() {
	ap.mu.Lock()
	defer ap.mu.Unlock()
	if len(ap.waiting) > 0 {
		ap.handOver()
	} else {
		ap.writing = false
	}
}

// handOver takes the next group out of the waiting requests (at least one request, at most
// maxInboxGroup events unless one request alone carries more) and wakes its head. ap.mu is held.
func (ap *inboxAppender) handOver() {
	n, events := 0, 0
	for n < len(ap.waiting) && (n == 0 || events+len(ap.waiting[n].rows) <= maxInboxGroup) {
		events += len(ap.waiting[n].rows)
		n++
	}
	head := ap.waiting[0]
	head.group = slices.Clone(ap.waiting[:n])
	ap.waiting = ap.waiting[n:]
	close(head.turn)
}

// write commits a group and settles each of its requests. The rows are written in the order of
// their keys, so that two groups written side by side on PostgreSQL wait on each other's keys
// in one order and never deadlock; an event that two requests of the group carry is written once.
func (ap *inboxAppender) write(ctx context.Context, group []*inboxAppend) {
	ctx, cancel := context.WithTimeout(ctx, inboxGroupTimeout)
	defer cancel()
	type key struct{ provider, eventID string }
	first := map[key]int{}
	var rows []store.ProviderEvent
	for _, r := range group {
		for _, e := range r.rows {
			if _, seen := first[key{e.Provider, e.EventID}]; !seen {
				first[key{e.Provider, e.EventID}] = len(rows)
				rows = append(rows, e)
			}
		}
	}
	slices.SortFunc(rows, func(x, y store.ProviderEvent) int {
		if c := strings.Compare(x.Provider, y.Provider); c != 0 {
			return c
		}
		return strings.Compare(x.EventID, y.EventID)
	})
	for i, e := range rows {
		first[key{e.Provider, e.EventID}] = i
	}
	var stored []store.ProviderEvent
	err := store.Retry(ctx, ap.store, true, time.Now, func(tx store.Tx, _ time.Time) (err error) {
		stored, err = tx.AppendProviderEvents(ctx, rows)
		return err
	})
	for _, r := range group {
		r.err = err
		if err == nil {
			r.stored = make([]store.ProviderEvent, len(r.rows))
			for i, e := range r.rows {
				r.stored[i] = stored[first[key{e.Provider, e.EventID}]]
			}
		}
		close(r.done)
	}
	if err == nil {
		ap.lastRequests.Store(int64(len(group)))
		ap.lastCommit.Store(time.Now().UnixNano())
	}
	if err == nil && ap.appended != nil {
		ap.appended(len(rows), slices.ContainsFunc(group, func(r *inboxAppend) bool { return !r.applying }))
	}
}
