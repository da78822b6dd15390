package testenv

import (
	"testing"

	"disputed/internal/store"
)

// DisputeEventTypes returns the types of the (first hundred) events about a dispute, oldest first.
func (e *Env) DisputeEventTypes(disputeID string) []string {
	e.T.Helper()
	return e.EventTypes(store.EventFilter{DisputeID: disputeID, Page: store.Page{Limit: 100}})
}

// Count is how many times v is in list.
func Count(list []string, v string) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

// LastDisputeEvent returns the newest event of type typ about a dispute, with the object it
// carries decoded into T (a struct of the wire fields the test reads, or a wire type of
// internal/httpapi).
func LastDisputeEvent[T any](e *Env, typ, disputeID string) (store.Event, T) {
	e.T.Helper()
	ev := e.LastEvent(store.EventFilter{Type: typ, DisputeID: disputeID})
	return ev, EventObject[T](e.T, ev)
}

// On returns the Env for a subtest t: the same app and database, failing t instead of the
// parent (a subtest must not end its parent's goroutine).
func (e *Env) On(t testing.TB) *Env {
	c := *e
	c.T = t
	return &c
}
