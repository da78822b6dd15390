package app

import (
	"sync"

	"disputed/internal/provider"
)

// parsedEvents keeps the events this instance received, as their adapters read them on
// arrival, until the appliers take them: reading a provider's JSON again cost an applier about
// a tenth of what applying a charge costs. It holds the latest events up to parsedEventsKept of
// them and parsedBytesKept of their payloads (a Stripe dispute update may carry 2 MB of
// evidence text: a count alone would let a burst of those hold gigabytes), and none larger than
// parsedEventLargest. One it does not hold (received by another instance, before a restart, or
// pushed out) is read again from its stored payload, which is what was read on arrival.
type parsedEvents struct {
	mu    sync.Mutex
	byID  map[string]provider.Event
	order []string // the ids kept, oldest first
	bytes int      // the payloads' bytes kept
}

const (
	parsedEventsKept   = 4096
	parsedBytesKept    = 16 << 20
	parsedEventLargest = 64 << 10
)

// keep holds ev, stored under the inbox id id, pushing out the oldest beyond the bounds.
func (p *parsedEvents) keep(id string, ev provider.Event) {
	if len(ev.Payload) > parsedEventLargest {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byID == nil {
		p.byID = make(map[string]provider.Event, parsedEventsKept)
	}
	p.byID[id], p.bytes = ev, p.bytes+len(ev.Payload)
	p.order = append(p.order, id)
	for len(p.byID) > parsedEventsKept || p.bytes > parsedBytesKept || len(p.order) > 2*parsedEventsKept {
		oldest := p.order[0]
		p.order = p.order[1:]
		p.forget(oldest)
	}
}

// take returns and forgets the event stored under id, if it is held.
func (p *parsedEvents) take(id string) (provider.Event, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ev, ok := p.byID[id]
	p.forget(id)
	return ev, ok
}

// forget drops the event stored under id, if it is held; p.mu is held. Its id stays in order
// until its turn comes to be pushed out, which finds nothing.
func (p *parsedEvents) forget(id string) {
	if ev, ok := p.byID[id]; ok {
		delete(p.byID, id)
		p.bytes -= len(ev.Payload)
	}
}
