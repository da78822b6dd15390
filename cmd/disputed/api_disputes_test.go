package main

import (
	"fmt"
	"strings"
	"testing"
)

// eventsOf returns the types of the events about a dispute, oldest first.
func (s *testServer) eventsOf(query string) []string {
	s.t.Helper()
	r := s.get("/v1/events?limit=100&" + query)
	want(s.t, r, 200)
	var out []string
	for _, e := range r.list() {
		out = append(out, fmt.Sprint(e["type"]))
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func count(list []string, v string) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

// lastEvent returns the newest event of a type about a dispute, with its data.object decoded.
func (s *testServer) lastEvent(typ, query string) map[string]any {
	s.t.Helper()
	r := s.get("/v1/events?limit=1&type=" + typ + "&" + query)
	want(s.t, r, 200)
	l := r.list()
	if len(l) == 0 {
		s.t.Fatalf("no %s event for %s", typ, query)
	}
	obj, _ := l[0]["data"].(map[string]any)["object"].(map[string]any)
	if obj == nil {
		s.t.Fatalf("%s event has no data.object: %v", typ, l[0])
	}
	return obj
}

// TestDisputeWire keeps what only HTTP shows of the dispute use cases (their rules are tested
// beside internal/app): values refused by the request's schema, the evidence details as the API
// words them, and an event as GET /v1/events/{id} wraps it.
func TestDisputeWire(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	_, _, charge := s.sale(1000, "usd")
	d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
	want(t, d, 201)
	id, rev := d.str("id"), d.num("revision")
	want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": rev, "due_by": "soon"}), 422)
	want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "bogus"}), 422)
	want(t, s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "visa", "amount": 500, "currency": "usd"}), 422)
	u := s.post("/v1/disputes/"+id, map[string]any{"revision": rev, "due_by": "2031-05-01T12:00:00Z",
		"evidence": map[string]string{"customer_name": "Ada"}})
	want(t, u, 200)
	if !strings.HasPrefix(u.str("due_by"), "2031-05-01T12:00:00") || u.get("evidence_details", "due_by") == nil ||
		u.get("evidence_details", "has_evidence") != true {
		t.Errorf("updated: %s", u.raw)
	}
	ev := s.get("/v1/events?type=dispute.updated&dispute_id=" + id).list()[0]
	got := s.get("/v1/events/" + fmt.Sprint(ev["id"]))
	want(t, got, 200)
	if got.str("data", "object", "id") != id || got.num("data", "object", "revision") != rev+1 || got.str("type") != "dispute.updated" {
		t.Errorf("GET /v1/events/{id}: %s", got.raw)
	}
	want(t, s.get("/v1/events/evt_nope"), 404, "not_found")
	lost := s.post("/v1/disputes/"+id+"/close", nil)
	want(t, lost, 200)
	if actions, ok := lost.get("actions").([]any); !ok || len(actions) != 0 {
		t.Errorf("a lost dispute's actions are not an empty list: %s", lost.raw)
	}
}
