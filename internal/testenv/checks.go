package testenv

import (
	"encoding/json"
	"slices"
	"testing"

	"disputed/internal/fault"
	"disputed/internal/store"
)

// WantFault ends the test unless err is a refusal of the kind given (the HTTP status the API
// answers it with) and, when code is not "", of that code; it returns the fault for the test to
// look further (its param, its message).
func WantFault(t testing.TB, err error, kind fault.Kind, code string) *fault.Error {
	t.Helper()
	fe, ok := fault.As(err)
	if !ok {
		t.Fatalf("got %v; want a %s refusal (kind %d)", err, code, kind)
	}
	if fe.Kind != kind || (code != "" && fe.Code != code) {
		t.Fatalf("got %v (kind %d); want a %s refusal (kind %d)", err, fe.Kind, code, kind)
	}
	return fe
}

// EventTypes returns the types of the events f selects, oldest first.
func (e *Env) EventTypes(f store.EventFilter) []string {
	e.T.Helper()
	p, err := e.App.Events(e.Ctx, Admin, f)
	if err != nil {
		e.T.Fatalf("testenv: events: %v", err)
	}
	evs := p.Rows
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.Type
	}
	slices.Reverse(out)
	return out
}

// LastEvent returns the newest event f selects, ending the test when there is none.
func (e *Env) LastEvent(f store.EventFilter) store.Event {
	e.T.Helper()
	f.Limit = 1
	p, err := e.App.Events(e.Ctx, Admin, f)
	if err != nil {
		e.T.Fatalf("testenv: events: %v", err)
	}
	if len(p.Rows) == 0 {
		e.T.Fatalf("testenv: no event %+v", f)
	}
	return p.Rows[0]
}

// EventObject decodes the object an event carries into its wire form (an httpapi type), as a
// webhook endpoint receives it.
func EventObject[T any](t testing.TB, ev store.Event) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(ev.Data, &v); err != nil {
		t.Fatalf("testenv: decode %s event: %v", ev.Type, err)
	}
	return v
}
