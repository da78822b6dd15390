package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"disputed/internal/fault"
	"disputed/internal/provider"
	"disputed/internal/service"
	"disputed/internal/store"
)

// The appliers apply the inbox's events: each pass claims the next events due (pending, or
// failed and due again; per object the first not applied, so that an object's events apply in
// the order they arrived), applies them in one transaction, and settles each applied or failed
// in that same transaction. An event is applied exactly once: its state and its effects commit
// together, and a second server instance passes over the rows this one holds
// (store.ProviderWriter.ClaimProviderEvents).

// inboxPass is how many events one pass claims: one transaction, one commit for all of them. On
// PostgreSQL each claimed row is locked (a write), so a pass claims no more than it applies.
const inboxPass = 64

// inboxRetry is how long a failed event waits before its next attempt: twice as long after
// each failure, from inboxRetryFirst up to inboxRetryLast.
const (
	inboxRetryFirst = 10 * time.Second
	inboxRetryLast  = time.Hour
)

// InboxApplied is what draining the inbox did. Lag is the longest an event it settled had
// waited since it arrived.
type InboxApplied struct {
	Applied, Failed int
	Lag             time.Duration
}

// InboxObserver is told of each group of events committed to the inbox, with its size, and of
// each event settled: the time from its arrival to its being applied, or its failure. The server
// feeds it to its metrics.
type InboxObserver interface {
	Appended(events int)
	Applied(lag time.Duration)
	Failed()
}

// ApplyProviderEvents applies the events due now, pass after pass, until a pass settles none:
// an event applied lets the next of its object come in the next pass. A pass whose only events
// lost races to other writers is tried again, a few times, on fresh data. The appliers' service
// runs it whenever events arrive; a command that appended events runs it to see them applied
// before it ends.
func (a *App) ApplyProviderEvents(ctx context.Context) (InboxApplied, error) {
	return a.drainInbox(ctx, nil)
}

// drainInbox is ApplyProviderEvents, calling between passes pause (when not nil) with how long
// the pass before took and its events' lag.
func (a *App) drainInbox(ctx context.Context, pause func(ctx context.Context, pass, lag time.Duration)) (InboxApplied, error) {
	var total InboxApplied
	for retries := 0; ; {
		began := time.Now()
		done, raced, err := a.applyPass(ctx)
		total.Applied += done.Applied
		total.Failed += done.Failed
		total.Lag = max(total.Lag, done.Lag)
		switch {
		case err != nil:
			return total, err
		case done.Applied+done.Failed > 0:
			retries = 0
		case raced > 0 && retries < inboxRaceRetries:
			retries++
		default:
			return total, nil
		}
		if pause != nil {
			pause(ctx, time.Since(began), done.Lag)
		}
	}
}

// inboxRaceRetries is how many passes in a row that only lost races a drain tries before it
// leaves their events to the next one.
const inboxRaceRetries = 5

// inboxPassInBurst is how many events a pass claims on a store with one writer while
// notifications keep arriving (appendBurst): about what it applies within inboxPassBudget, so
// that it reads ahead and settles no more than it applies, and hands the writer back to the
// appends soon.
const inboxPassInBurst = 16

// inboxPassBudget bounds the time a pass applies events on a store with one writer (SQLite)
// while notifications' appends wait for the writer the pass holds; the events claimed and not
// reached stay pending, for the next pass. With no append waiting, a pass applies all it
// claimed, in one commit.
const inboxPassBudget = 10 * time.Millisecond

// applyPass claims and applies one pass of events; raced counts those that lost a race to
// another writer, which stay pending for a later pass.
//
// A pass runs its events straight through and settles them in one statement: a savepoint per
// event costs two statements and nearly every pass succeeds whole. When an event fails, the
// pass is undone and run again with that event's outcome known (it is not applied twice);
// after a second failure the pass runs each event in its own savepoint, so that one failing
// event takes back only its own writes. So does a pass whose rows held for the commit were
// refused (store.ErrHeldRows): the commit cannot tell whose they were, a savepoint can.
func (a *App) applyPass(ctx context.Context) (done InboxApplied, raced int, err error) {
	known := map[string]error{} // the failures of events in an attempt undone, by inbox id
	var settled []store.ProviderEvent
	for attempt := 0; ; attempt++ {
		err = a.store.Tx(ctx, func(tx store.Tx) (err error) {
			settled, raced, err = a.runPass(ctx, tx, known, attempt >= 2)
			return err
		})
		if attempt >= 2 || !errors.Is(err, errUndoPass) && !errors.Is(err, store.ErrHeldRows) {
			break
		}
		if errors.Is(err, store.ErrHeldRows) {
			attempt = 1 // the next runs each event in its own savepoint
		}
	}
	if err != nil {
		return InboxApplied{}, 0, err
	}
	now := a.clock()
	for _, rec := range settled {
		done.Lag = max(done.Lag, now.Sub(rec.ReceivedAt))
		switch rec.State {
		case store.EventApplied:
			done.Applied++
			if a.inboxObserver != nil {
				a.inboxObserver.Applied(rec.AppliedAt.Sub(rec.ReceivedAt))
			}
		case store.EventFailed:
			done.Failed++
			a.log.Warn("provider event failed", "event", rec.ID, "provider", rec.Provider, "provider_event", rec.EventID,
				"attempts", rec.Attempts, "error", rec.Error)
			if a.inboxObserver != nil {
				a.inboxObserver.Failed()
			}
		}
	}
	return done, raced, nil
}

// errUndoPass undoes a pass run straight through in which an event failed, to run it again.
var errUndoPass = errors.New("a provider event failed: apply the pass again without it")

// runPass claims a pass's events in tx, applies them and settles them; isolated, each event
// runs in its own savepoint.
func (a *App) runPass(ctx context.Context, tx store.Tx, known map[string]error, isolate bool) (settled []store.ProviderEvent, raced int, err error) {
	now, began, oneWriter := a.clock(), time.Now(), a.store.Writers() == 1
	limit := inboxPass
	if oneWriter && a.inBurst() {
		limit = inboxPassInBurst
	}
	evs, err := tx.ClaimProviderEvents(ctx, now, limit)
	if err != nil {
		return nil, 0, err
	}
	claimed, notOnArrival := a.readClaimed(ctx, tx, evs)
	if len(evs) == limit && notOnArrival > 0 && !a.inBurst() {
		// A backlog of events this instance did not hold as read on arrival (it holds the
		// newest): the next pass's are stored already. Read them meanwhile.
		defer a.readNextPass(ctx, evs[len(evs)-1].ID)()
	}
	if err := a.readPassAhead(ctx, tx, claimed); err != nil {
		return nil, 0, err
	}
	settled = make([]store.ProviderEvent, 0, len(claimed))
	for i, c := range claimed {
		if oneWriter && time.Since(began) > inboxPassBudget && a.inbox.waitingAppends() {
			a.keepUnapplied(claimed[i:])
			break
		}
		rec, applyErr := c.rec, c.err
		if failure, ok := known[rec.ID]; ok {
			applyErr = failure
		} else if applyErr == nil {
			apply := func() error {
				return a.updatingOrders(ctx, tx, now, func(tx store.Tx) error { return a.applyInboxEvent(ctx, tx, now, c.ev, &rec) })
			}
			if isolate {
				applyErr = tx.Savepoint(ctx, apply)
			} else if applyErr = apply(); applyErr != nil {
				known[rec.ID] = applyErr
				return nil, 0, errUndoPass
			}
		}
		if errors.Is(applyErr, store.ErrConflict) {
			// Lost a race against another writer of the same dispute: not the event's fault. It
			// stays pending, for the next pass, on fresh data.
			raced++
			continue
		}
		settled = append(settled, outcome(rec, now, applyErr))
	}
	if len(settled) == 0 {
		return settled, raced, nil
	}
	return settled, raced, tx.SettleProviderEvents(ctx, settled)
}

// outcome is rec settled after an attempt at now that ended with applyErr: applied, or failed
// and due again after its backoff.
func outcome(rec store.ProviderEvent, now time.Time, applyErr error) store.ProviderEvent {
	rec.Attempts++
	if applyErr == nil {
		rec.State, rec.Error, rec.NextAttempt, rec.AppliedAt = store.EventApplied, "", time.Time{}, now
		return rec
	}
	rec.State, rec.Error, rec.NextAttempt = store.EventFailed, describeFailure(applyErr), now.Add(inboxBackoff(rec.Attempts))
	rec.Applied, rec.Outcome = false, "failed: "+rec.Error
	return rec
}

// claimedEvent is a claimed event and what its provider's adapter reads in it, or why it
// cannot be read (the event fails with that error).
type claimedEvent struct {
	rec store.ProviderEvent
	ev  provider.Event
	err error
}

// readClaimed reads each claimed event as its provider's adapter does, and counts those this
// instance did not hold as read on arrival.
func (a *App) readClaimed(ctx context.Context, r store.Reader, evs []store.ProviderEvent) (_ []claimedEvent, notOnArrival int) {
	adapters := map[string]provider.Adapter{}
	out := make([]claimedEvent, len(evs))
	for i, rec := range evs {
		var onArrival bool
		out[i].rec = rec
		out[i].ev, onArrival, out[i].err = a.storedEvent(ctx, r, rec, adapters)
		if !onArrival {
			notOnArrival++
		}
	}
	return out, notOnArrival
}

// keepUnapplied gives back to the events read on arrival those a pass read and did not reach,
// for the pass that will.
func (a *App) keepUnapplied(claimed []claimedEvent) {
	for _, c := range claimed {
		if c.err == nil {
			a.parsed.keep(c.rec.ID, c.ev)
		}
	}
}

// storedEvent is a stored event as its provider's adapter reads it: as read on arrival or
// ahead of its pass, when this instance still holds it (parsedEvents), else read again from its
// payload; onArrival tells the first.
func (a *App) storedEvent(ctx context.Context, r store.Reader, rec store.ProviderEvent, adapters map[string]provider.Adapter) (_ provider.Event, onArrival bool, _ error) {
	ad, err := a.eventAdapter(ctx, r, rec.Provider, adapters)
	if err != nil {
		return provider.Event{}, false, err
	}
	if ev, held, onArrival := a.parsed.take(rec.ID); held {
		return ev, onArrival, nil
	}
	ev, err := readStored(ad, rec)
	return ev, false, err
}

// eventAdapter is the adapter of the provider named name, kept in adapters for the next event.
func (a *App) eventAdapter(ctx context.Context, r store.Reader, name string, adapters map[string]provider.Adapter) (provider.Adapter, error) {
	if ad, ok := adapters[name]; ok {
		return ad, nil
	}
	p, err := r.GetProvider(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("the provider %s is no longer configured", name)
	}
	if err != nil {
		return nil, err
	}
	ad, err := a.adapterFor(p)
	if err != nil {
		return nil, err
	}
	adapters[name] = ad
	return ad, nil
}

// readStored reads a stored event's payload as ad did on its arrival.
func readStored(ad provider.Adapter, rec store.ProviderEvent) (provider.Event, error) {
	ev, err := ad.Parse(rec.Payload)
	if err != nil {
		return provider.Event{}, err
	}
	ev.Clean()
	ev.Payload = rec.Payload
	return ev, nil
}

// describeFailure is a failure as the event list shows it: a refusal's message, or the error.
func describeFailure(err error) string {
	if f, ok := fault.As(err); ok {
		return f.Message
	}
	return err.Error()
}

// inboxBackoff is the wait after the attempts-th failure.
func inboxBackoff(attempts int) time.Duration {
	wait := inboxRetryFirst
	for i := 1; i < attempts && wait < inboxRetryLast; i++ {
		wait *= 2
	}
	return min(wait, inboxRetryLast)
}

// InboxApplier is the service that applies the inbox: at once when events were appended here,
// and every second for those appended elsewhere (another server instance, an import run from
// the command line) or due again after a failure. While notifications keep arriving it yields
// to them (yieldToAppends): acknowledging is what a provider waits for.
func (a *App) InboxApplier() service.Service {
	return &service.Periodic{Name: "apply provider events", Interval: time.Second, Timeout: time.Minute, Logger: a.log,
		Wake: a.inboxWake, Work: func(ctx context.Context) error {
			// Draining from the first pass that settled events: a run that finds nothing to do
			// (every second) does not count.
			defer a.draining.Store(false)
			_, err := a.drainInbox(ctx, func(ctx context.Context, pass, lag time.Duration) {
				a.draining.Store(true)
				a.yieldToAppends(ctx, pass, lag)
			})
			return err
		}}
}

// appendBurst is how recent a group commit must be for the appliers to count notifications as
// still arriving; applyShareInBurst is the share of the time the appliers take meanwhile while
// notifications arrive one at a time, and events are not yet late.
const (
	appendBurst       = 50 * time.Millisecond
	applyShareInBurst = 4
)

// inboxYieldLag is how long the appliers may let events wait while they stand aside for a burst
// of notifications: a dispute shows within it even then.
const inboxYieldLag = 5 * time.Second

// yieldToAppends waits, after a pass that took pass and settled events that had waited up to
// lag, while notifications are being appended. While their events are not yet late (lag below
// inboxYieldLag):
//   - while notifications queue for the writer (inboxAppender.queuing), the appliers stand aside
//     until the burst ends: each event applied meanwhile takes CPU and the writer from the
//     acknowledgements, which are what the providers wait for (in bench/ingest on two cores, a
//     sixth more acknowledged a second and the p99 halved), and a burst shorter than the bound
//     is applied right after it;
//   - while they arrive one at a time, the appliers wait three times as long as the pass, to
//     take a quarter of the time, in passes of the events that arrived meanwhile (a pass of one
//     event costs nearly what a pass of sixteen does).
//
// Once the events are late, the appliers let the appends that wait for the writer go first
// (inboxAppender.letWaitingGo) and go on at once, so that a stream that never pauses is applied
// as fast as it arrives, its lag held near the bound. A quarter of the time, as before, let the
// backlog grow without end on a machine two-thirds idle (bench/ingest -c 2: 1,715 events a
// second acknowledged, 448 applied). Either wait ends as soon as the burst does.
func (a *App) yieldToAppends(ctx context.Context, pass, lag time.Duration) {
	if !a.inBurst() {
		return
	}
	if lag >= inboxYieldLag {
		a.inbox.letWaitingGo(ctx, pass)
		return
	}
	wait := pass * (applyShareInBurst - 1)
	if a.inbox.queuing() {
		wait = inboxYieldLag - lag
	}
	waitWhile(ctx, a.inBurst, wait, appendBurst/5)
}

// waitWhile waits while cond holds, looking every poll, at most bound, and no longer than ctx.
func waitWhile(ctx context.Context, cond func() bool, bound, poll time.Duration) {
	deadline := time.NewTimer(bound)
	defer deadline.Stop()
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for cond() {
		select {
		case <-ctx.Done():
			return
		case <-deadline.C:
			return
		case <-tick.C:
		}
	}
}

// inBurst reports whether notifications are still arriving: a group committed within
// appendBurst.
func (a *App) inBurst() bool { return time.Since(a.inbox.lastGroup()) <= appendBurst }
