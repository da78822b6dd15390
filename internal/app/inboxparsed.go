package app

import (
	"sync"

	"disputed/internal/provider"
)

// parsedEvents keeps the events this instance received, as their adapters read them on
// arrival, until the appliers take them: reading a provider's JSON again cost an applier about
// a tenth of what applying a charge costs. It holds the last parsedEventsKept events; one it no
// longer holds (received by another instance, or before a restart, or long ago) is read again
// from its stored payload, which is what was read on arrival.
type parsedEvents struct {
	mu   sync.Mutex
	byID map[string]provider.Event
	ring []string // the ids kept, in arrival order, the oldest overwritten first
	next int
}

const parsedEventsKept = 4096

// keep holds ev, stored under the inbox id id.
func (p *parsedEvents) keep(id string, ev provider.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byID == nil {
		p.byID, p.ring = make(map[string]provider.Event, parsedEventsKept), make([]string, parsedEventsKept)
	}
	delete(p.byID, p.ring[p.next])
	p.ring[p.next], p.byID[id] = id, ev
	p.next = (p.next + 1) % len(p.ring)
}

// take returns and forgets the event stored under id, if it is held.
func (p *parsedEvents) take(id string) (provider.Event, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ev, ok := p.byID[id]
	delete(p.byID, id)
	return ev, ok
}
