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
	if _, ok, _ := p.take("pev_0"); ok {
		t.Error("the oldest event is still held past the bytes' bound")
	}
	if ev, ok, onArrival := p.take(fmt.Sprint("pev_", last)); !ok || !onArrival || ev.ID != fmt.Sprint("evt_", last) {
		t.Errorf("the newest event: %+v, %v, %v", ev, ok, onArrival)
	}
	if _, ok, _ := p.take(fmt.Sprint("pev_", last)); ok {
		t.Error("an event taken twice")
	}
	p.keep("pev_huge", provider.Event{Payload: make([]byte, parsedEventLargest+1)})
	if _, ok, _ := p.take("pev_huge"); ok {
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

// TestParsedEventsReadAhead: the events read ahead of a pass are held apart from those kept on
// arrival, which they do not push out; they are bounded by parsedAheadKept, and given once.
func TestParsedEventsReadAhead(t *testing.T) {
	var p parsedEvents
	for i := range parsedEventsKept {
		p.keep(fmt.Sprint("pev_", i), provider.Event{Payload: []byte("{}")})
	}
	for i := range parsedAheadKept {
		p.keepAhead(fmt.Sprint("pev_ahead_", i), provider.Event{ID: fmt.Sprint("evt_ahead_", i), Payload: []byte("{}")})
	}
	if !p.holds("pev_0") || !p.holds("pev_ahead_0") {
		t.Error("an event kept on arrival or read ahead is not held")
	}
	if ev, ok, onArrival := p.take("pev_ahead_1"); !ok || onArrival || ev.ID != "evt_ahead_1" {
		t.Errorf("an event read ahead: %+v, %v, said read on arrival %v", ev, ok, onArrival)
	}
	if _, ok, _ := p.take("pev_ahead_1"); ok || p.holds("pev_ahead_1") {
		t.Error("an event read ahead is given twice")
	}
	p.keepAhead("pev_ahead_x", provider.Event{Payload: []byte("{}")})
	p.keepAhead("pev_ahead_y", provider.Event{Payload: []byte("{}")})
	if len(p.ahead) > parsedAheadKept || !p.holds("pev_ahead_y") {
		t.Errorf("%d events held read ahead, at most %d, the latest among them", len(p.ahead), parsedAheadKept)
	}
	if len(p.byID) != parsedEventsKept {
		t.Errorf("the events read ahead pushed out events kept on arrival: %d of %d held", len(p.byID), parsedEventsKept)
	}
	p.keepAhead("pev_huge", provider.Event{Payload: make([]byte, parsedEventLargest+1)})
	if p.holds("pev_huge") {
		t.Error("an event larger than the largest kept was read ahead and kept")
	}
}
