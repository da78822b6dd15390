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

// TestExtendedFieldDefinitions: the admin defines the extended fields in the settings; bad
// definitions are refused naming the one at fault, and change nothing.
func TestExtendedFieldDefinitions(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		defs := []map[string]any{{"name": "priority", "type": "number", "label": "Priority"},
			{"name": "vip", "type": "boolean"}, {"name": "shipped_on", "type": "date"}, {"name": "agent", "type": "string"}}
		r := s.post("/v1/settings", map[string]any{"extended_fields": defs})
		want(t, r, 200)
		if got := r.objs("extended_fields"); len(got) != 4 || got[0]["name"] != "priority" || got[0]["label"] != "Priority" || got[2]["type"] != "date" {
			t.Fatalf("saved definitions: %v", got)
		}
		if got := s.get("/v1/settings").objs("extended_fields"); len(got) != 4 || got[1]["name"] != "vip" {
			t.Fatalf("read definitions: %v", got)
		}
		for _, bad := range []struct {
			defs  []map[string]any
			param string
		}{
			{[]map[string]any{{"name": "Priority", "type": "number"}}, "extended_fields[0].name"},
			{[]map[string]any{{"name": "a", "type": "string"}, {"name": "a", "type": "number"}}, "extended_fields[1].name"},
			{[]map[string]any{{"name": "a", "type": "float"}}, "extended_fields[0].type"},
			{[]map[string]any{{"name": "", "type": "string"}}, "extended_fields[0].name"},
		} {
			r := s.post("/v1/settings", map[string]any{"extended_fields": bad.defs})
			want(t, r, 422, "invalid_value")
			if r.str("error", "param") != bad.param {
				t.Errorf("%v: param %q, want %q", bad.defs, r.str("error", "param"), bad.param)
			}
		}
		many := make([]map[string]any, 21)
		for i := range many {
			many[i] = map[string]any{"name": "f" + string(rune('a'+i)), "type": "string"}
		}
		want(t, s.post("/v1/settings", map[string]any{"extended_fields": many}), 422, "invalid_value")
		if got := s.get("/v1/settings").objs("extended_fields"); len(got) != 4 {
			t.Fatalf("a refused change changed the definitions: %v", got)
		}
	})
}

// TestExtendedFieldValues: disputes carry values of the defined fields, typed, checked on create
// and update (nothing changes when one is refused), filterable, and hidden from the parties.
func TestExtendedFieldValues(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		want(t, s.post("/v1/settings", map[string]any{"extended_fields": []map[string]any{{"name": "priority", "type": "number"},
			{"name": "vip", "type": "boolean"}, {"name": "shipped_on", "type": "date"}, {"name": "agent", "type": "string"}}}), 200)
		customer, _, ch := s.sale(1000, "usd")
		for _, bad := range []struct {
			fields map[string]any
			param  string
		}{
			{map[string]any{"colour": "red"}, "extended_fields.colour"},
			{map[string]any{"priority": "high"}, "extended_fields.priority"},
			{map[string]any{"vip": "yes"}, "extended_fields.vip"},
			{map[string]any{"shipped_on": "31/01/2026"}, "extended_fields.shipped_on"},
			{map[string]any{"agent": 7}, "extended_fields.agent"},
			{map[string]any{"priority": json.Number("1e3")}, "extended_fields.priority"},
		} {
			r := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch, "extended_fields": bad.fields})
			want(t, r, 422, "invalid_value")
			if r.str("error", "param") != bad.param {
				t.Errorf("create with %v: param %q, want %q", bad.fields, r.str("error", "param"), bad.param)
			}
		}
		if n := len(s.get("/v1/disputes").list()); n != 0 {
			t.Fatalf("refused creates made %d disputes", n)
		}
		a := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch, "extended_fields": map[string]any{
			"priority": json.Number("12.50"), "vip": true, "shipped_on": "2026-01-31", "agent": "Zoë <ops>"}})
		want(t, a, 201)
		if got, w := extendedFieldsOf(t, a), `{"agent":"Zoë <ops>","priority":12.50,"shipped_on":"2026-01-31","vip":true}`; got != w {
			t.Fatalf("created: extended_fields %s, want %s", got, w)
		}
		_, _, ch2 := s.sale(2000, "usd")
		b := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch2, "extended_fields": map[string]any{"priority": 3}})
		want(t, b, 201)
		A, B := a.str("id"), b.str("id")

		// An update merges; null removes; a refused one changes nothing.
		rev := a.num("revision")
		r := s.post("/v1/disputes/"+A, map[string]any{"revision": rev, "tags": []string{"x"}, "extended_fields": map[string]any{"vip": "no"}})
		want(t, r, 422, "invalid_value")
		if r.str("error", "param") != "extended_fields.vip" {
			t.Fatalf("update param %q", r.str("error", "param"))
		}
		if g := s.get("/v1/disputes/" + A); g.num("revision") != rev || len(g.get("tags").([]any)) != 0 {
			t.Fatalf("a refused update changed the dispute: %s", g.raw)
		}
		r = s.post("/v1/disputes/"+A, map[string]any{"revision": rev, "extended_fields": map[string]any{"vip": false, "agent": nil}})
		want(t, r, 200)
		if got, w := extendedFieldsOf(t, r), `{"priority":12.50,"shipped_on":"2026-01-31","vip":false}`; got != w {
			t.Fatalf("updated: extended_fields %s, want %s", got, w)
		}
		if got := extendedFieldsOf(t, s.get("/v1/disputes/"+A)); got != `{"priority":12.50,"shipped_on":"2026-01-31","vip":false}` {
			t.Fatalf("read back: %s", got)
		}

		// The filter matches the stored value exactly.
		for _, f := range []struct {
			query string
			ids   []string
		}{
			{"extended_fields[priority]=12.50", []string{A}},
			{"extended_fields[priority]=12.5", nil},
			{"extended_fields[priority]=3", []string{B}},
			{"extended_fields[vip]=false", []string{A}},
			{"extended_fields[vip]=true", nil},
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

		// A buyer sees none of them, cannot filter on them.
		buyer := s.as(s.newKey(actor.Buyer, customer))
		g := buyer.get("/v1/disputes/" + A)
		want(t, g, 200)
		if got := extendedFieldsOf(t, g); got != `{}` {
			t.Fatalf("the buyer sees extended fields %s", got)
		}
		want(t, buyer.get("/v1/disputes?extended_fields[vip]=false"), 403)
	})
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
