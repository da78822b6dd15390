package testenv

import (
	"encoding/json"
	"slices"
	"testing"

	"disputed/internal/fault"
	"disputed/internal/store"
)

// WantFault ends the test unless err is a coded fault of the kind given and, when code is not
// "", of that code; it returns the fault for the test to look further (its param, its message).
// The kind is what the API answers with (fault.Invalid is 422, fault.Conflict 409).
func WantFault(t testing.TB, err error, kind fault.Kind, code string) *fault.Error {
	t.Helper()
	fe, ok := fault.As(err)
	if !ok {
		t.Fatalf("got %v; want a fault of kind %d code %q", err, kind, code)
	}
	if fe.Kind != kind || (code != "" && fe.Code != code) {
		t.Fatalf("got fault %v (kind %d); want kind %d code %q", fe, fe.Kind, kind, code)
	}
	return fe
}

// EventTypes returns the types of the events about a dispute, oldest first.
func (e *Env) EventTypes(disputeID string) []string {
	e.T.Helper()
	evs, _, err := e.App.Events(e.Ctx, Admin, store.EventFilter{DisputeID: disputeID, Page: store.Page{Limit: 100}})
	if err != nil {
		e.T.Fatalf("testenv: events of %s: %v", disputeID, err)
	}
	out := make([]string, 0, len(evs))
	for _, ev := range evs {
		out = append(out, ev.Type)
	}
	slices.Reverse(out) // the store lists them newest first
	return out
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

// LastEvent returns the newest event of type typ about a dispute, with the object it carries
// decoded into T (a struct of the wire fields the test reads, or a wire type of internal/httpapi).
func LastEvent[T any](e *Env, typ, disputeID string) (store.Event, T) {
	e.T.Helper()
	var obj T
	evs, _, err := e.App.Events(e.Ctx, Admin, store.EventFilter{Type: typ, DisputeID: disputeID, Page: store.Page{Limit: 1}})
	if err != nil {
		e.T.Fatalf("testenv: %s events of %s: %v", typ, disputeID, err)
	}
	if len(evs) == 0 {
		e.T.Fatalf("testenv: no %s event about %s", typ, disputeID)
	}
	if err := json.Unmarshal(evs[0].Data, &obj); err != nil {
		e.T.Fatalf("testenv: decode the %s event: %v", typ, err)
	}
	return evs[0], obj
}

// On returns the Env for a subtest t: the same app and database, failing t instead of the
// parent (a subtest must not end its parent's goroutine).
func (e *Env) On(t testing.TB) *Env {
	c := *e
	c.T = t
	return &c
}
