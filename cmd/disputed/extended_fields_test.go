package main

import (
	"bytes"
	"encoding/json"
	"net/url"
	"testing"

	"disputed/internal/actor"
)

// extendedFieldsOf is the raw extended_fields object of a dispute response, to compare numbers
// as written.
func extendedFieldsOf(t *testing.T, r response) string {
	t.Helper()
	var d struct {
		ExtendedFields json.RawMessage `json:"extended_fields"`
	}
	if err := json.Unmarshal(r.raw, &d); err != nil {
		t.Fatalf("dispute: %v: %s", err, r.raw)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, d.ExtendedFields); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestExtendedFieldWire keeps what only HTTP shows of the extended fields (their rules are tested
// beside internal/app): definitions as the settings show them, values as JSON of their type (a
// number as written), the extended_fields[name] query filter and its refusals, and the empty
// object a buyer gets.
func TestExtendedFieldWire(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	r := s.post("/v1/settings", map[string]any{"extended_fields": []map[string]any{{"name": "priority", "type": "number", "label": "Priority"},
		{"name": "vip", "type": "boolean"}, {"name": "shipped_on", "type": "date"}, {"name": "agent", "type": "string"}}})
	want(t, r, 200)
	if got := r.objs("extended_fields"); len(got) != 4 || got[0]["name"] != "priority" || got[0]["label"] != "Priority" || got[2]["type"] != "date" {
		t.Fatalf("saved definitions: %v", got)
	}
	bad := s.post("/v1/settings", map[string]any{"extended_fields": []map[string]any{{"name": "a", "type": "float"}}})
	want(t, bad, 422, "invalid_value")
	if bad.str("error", "param") != "extended_fields[0].type" {
		t.Errorf("param %q", bad.str("error", "param"))
	}
	customer, _, ch := s.sale(1000, "usd")
	a := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch, "extended_fields": map[string]any{
		"priority": json.Number("12.50"), "vip": true, "shipped_on": "2026-01-31", "agent": "Zoë <ops>"}})
	want(t, a, 201)
	if got, w := extendedFieldsOf(t, a), `{"agent":"Zoë <ops>","priority":12.50,"shipped_on":"2026-01-31","vip":true}`; got != w {
		t.Fatalf("created: extended_fields %s, want %s", got, w)
	}
	A := a.str("id")
	u := s.post("/v1/disputes/"+A, map[string]any{"revision": a.num("revision"), "extended_fields": map[string]any{"vip": false, "agent": nil}})
	want(t, u, 200)
	if got, w := extendedFieldsOf(t, u), `{"priority":12.50,"shipped_on":"2026-01-31","vip":false}`; got != w {
		t.Fatalf("updated: extended_fields %s, want %s", got, w)
	}
	for _, f := range []struct {
		query string
		ids   []string
	}{
		{"extended_fields[priority]=12.50", []string{A}},
		{"extended_fields[shipped_on]=2026-01-31&extended_fields[priority]=12.50", []string{A}},
		{"extended_fields[agent]=" + url.QueryEscape("Zoë <ops>"), nil},
	} {
		r := s.get("/v1/disputes?" + f.query)
		want(t, r, 200)
		sameIDs(t, f.query, r.ids(), f.ids)
	}
	r = s.get("/v1/disputes?extended_fields[colour]=red")
	want(t, r, 400)
	if r.str("error", "param") != "extended_fields[colour]" {
		t.Fatalf("undefined filter param %q: %s", r.str("error", "param"), r.raw)
	}
	want(t, s.get("/v1/disputes?extended_fields[vip]=maybe"), 400)

	buyer := s.as(s.newKey(actor.Buyer, customer))
	g := buyer.get("/v1/disputes/" + A)
	want(t, g, 200)
	if got := extendedFieldsOf(t, g); got != `{}` {
		t.Fatalf("the buyer sees extended fields %s", got)
	}
	want(t, buyer.get("/v1/disputes?extended_fields[vip]=false"), 403)
}

func sameIDs(t *testing.T, what string, got, w []string) {
	t.Helper()
	if len(got) != len(w) {
		t.Errorf("%s: got %v, want %v", what, got, w)
		return
	}
	seen := map[string]bool{}
	for _, id := range got {
		seen[id] = true
	}
	for _, id := range w {
		if !seen[id] {
			t.Errorf("%s: got %v, want %v", what, got, w)
		}
	}
}
