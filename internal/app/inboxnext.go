package app

import (
	"context"
	"time"

	"disputed/internal/provider"
)

// readNextPass reads the events after afterID, which the next pass will most likely claim, and
// reads each as its adapter does, on a goroutine of its own, for that pass to find them read
// (parsedEvents.keepAhead); it returns a func that waits for it, at most readAheadWait, then
// ends it. While a pass applies a backlog it holds SQLite's one writer on one core and leaves
// the other nearly idle, and reading a payload again cost a pass about a twentieth of its time
// (more than half of a long backlog's events were received too long before their pass to be
// still held as read on arrival). A failure here costs nothing but that: the pass reads the
// event itself, and meets the failure there if it is the event's.
func (a *App) readNextPass(ctx context.Context, afterID string) (wait func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		evs, err := a.store.UnappliedProviderEvents(ctx, afterID, inboxPass)
		if err != nil {
			return
		}
		adapters := map[string]provider.Adapter{}
		for _, rec := range evs {
			if a.parsed.holds(rec.ID) || ctx.Err() != nil {
				continue
			}
			ad, err := a.eventAdapter(ctx, a.store, rec.Provider, adapters)
			if err != nil {
				continue
			}
			if ev, err := readStored(ad, rec); err == nil {
				a.parsed.keepAhead(rec.ID, ev)
			}
		}
	}()
	return func() {
		defer cancel()
		select {
		case <-done:
			return
		case <-time.After(readAheadWait):
		}
		cancel()
		<-done
	}
}

// readAheadWait bounds how long a pass waits, before it commits, for the events read ahead: on
// PostgreSQL the read needs a connection of the pool's own, and the transactions holding all of
// them might be waiting for this pass's locks. Ended, it lets go of the pool at once, and the
// next pass reads what it did not.
const readAheadWait = time.Second
