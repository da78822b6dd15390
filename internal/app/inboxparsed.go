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
//
// Apart from those it holds the events read ahead of the next pass (readNextPass), up to
// parsedAheadKept: kept with the others, they would push out events received since, which a
// later pass would then read again.
type parsedEvents struct {
	mu    sync.Mutex
	byID  map[string]provider.Event
	order []string // the ids kept, oldest first
	bytes int      // the payloads' bytes kept
	ahead map[string]provider.Event
}

const (
	parsedEventsKept   = 4096
	parsedBytesKept    = 16 << 20
	parsedEventLargest = 64 << 10
	parsedAheadKept    = 2 * inboxPass
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

// keepAhead holds ev, stored under the inbox id id, read ahead of its pass. When as many are
// held already (read ahead for an instance that did not claim them, or a pass that read them
// itself first), it forgets those.
func (p *parsedEvents) keepAhead(id string, ev provider.Event) {
	if len(ev.Payload) > parsedEventLargest {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ahead) >= parsedAheadKept {
		clear(p.ahead)
	}
	if p.ahead == nil {
		p.ahead = make(map[string]provider.Event, parsedAheadKept)
	}
	p.ahead[id] = ev
}

// holds reports whether the event stored under id is held.
func (p *parsedEvents) holds(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, kept := p.byID[id]
	_, ahead := p.ahead[id]
	return kept || ahead
}

// take returns and forgets the event stored under id, if it is held, and whether it was held
// as read on arrival rather than ahead of its pass.
func (p *parsedEvents) take(id string) (_ provider.Event, held, onArrival bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ev, ok := p.ahead[id]; ok {
		delete(p.ahead, id)
		p.forget(id)
		return ev, true, false
	}
	ev, ok := p.byID[id]
	p.forget(id)
	return ev, ok, ok
}

// forget drops the event stored under id, if it is held; p.mu is held. Its id stays in order
// until its turn comes to be pushed out, which finds nothing.
func (p *parsedEvents) forget(id string) {
	if ev, ok := p.byID[id]; ok {
		delete(p.byID, id)
		p.bytes -= len(ev.Payload)
	}
}
