package app

import (
	"fmt"
	"testing"

	"disputed/internal/provider"
)

// TestParsedEventsBounded: the events kept for the appliers are bounded by count and by their
// payloads' bytes, the oldest pushed out first; one larger than the largest kept is not kept;
// an event taken is given once.
func TestParsedEventsBounded(t *testing.T) {
	var p parsedEvents
	payload := make([]byte, parsedEventLargest)
	for i := range 2 * parsedBytesKept / parsedEventLargest {
		p.keep(fmt.Sprint("pev_", i), provider.Event{ID: fmt.Sprint("evt_", i), Payload: payload})
		if p.bytes > parsedBytesKept {
			t.Fatalf("after %d events of %d bytes: %d bytes kept, over %d", i+1, len(payload), p.bytes, parsedBytesKept)
		}
	}
	last := 2*parsedBytesKept/parsedEventLargest - 1
	if _, ok := p.take("pev_0"); ok {
		t.Error("the oldest event is still held past the bytes' bound")
	}
	if ev, ok := p.take(fmt.Sprint("pev_", last)); !ok || ev.ID != fmt.Sprint("evt_", last) {
		t.Errorf("the newest event: %+v, %v", ev, ok)
	}
	if _, ok := p.take(fmt.Sprint("pev_", last)); ok {
		t.Error("an event taken twice")
	}
	p.keep("pev_huge", provider.Event{Payload: make([]byte, parsedEventLargest+1)})
	if _, ok := p.take("pev_huge"); ok {
		t.Error("an event larger than the largest kept was kept")
	}
	var q parsedEvents
	for i := range 3 * parsedEventsKept {
		q.keep(fmt.Sprint("pev_", i), provider.Event{Payload: []byte("{}")})
	}
	if len(q.byID) != parsedEventsKept || len(q.order) > 2*parsedEventsKept {
		t.Errorf("small events: %d kept, %d ids in order; want %d, at most %d", len(q.byID), len(q.order), parsedEventsKept, 2*parsedEventsKept)
	}
}
