package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// wantObject checks what every object carries: an id with its type prefix, its object name, and
// created_at and updated_at in RFC 3339 UTC.
func wantObject(t testing.TB, o map[string]any, object, prefix string) {
	t.Helper()
	id, _ := o["id"].(string)
	if !strings.HasPrefix(id, prefix) || len(id) <= len(prefix) {
		t.Errorf("%s id %q, want prefix %q", object, id, prefix)
	}
	if o["object"] != object {
		t.Errorf("object %v, want %s", o["object"], object)
	}
	for _, f := range []string{"created_at", "updated_at"} {
		v, _ := o[f].(string)
		at, err := time.Parse(time.RFC3339Nano, v)
		if err != nil || !strings.HasSuffix(v, "Z") || at.IsZero() {
			t.Errorf("%s.%s = %q, want an RFC 3339 UTC time", object, f, v)
		}
	}
}

// TestObjectShapes checks every kind of object the API returns.
func TestObjectShapes(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		cus, ord, charge := s.sale(1000, "usd", map[string]any{"panel": "manual", "external_id": "u-1"})
		wantObject(t, s.get("/v1/customers/"+cus).body, "customer", "cus_")
		o := s.get("/v1/orders/" + ord)
		wantObject(t, o.body, "order", "ord_")
		line := o.lines()[0]
		wantObject(t, line, "line", "line_")
		wantObject(t, s.get("/v1/lines/"+fmt.Sprint(line["id"])).body, "line", "line_")
		ch := s.get("/v1/transactions/" + charge)
		wantObject(t, ch.body, "transaction", "txn_")
		if ch.get("amount_refunded") == nil || ch.get("refunds") == nil {
			t.Errorf("a charge shows amount_refunded and refunds[]: %s", ch.raw)
		}
		r := s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 10})
		wantObject(t, r.body, "transaction", "txn_")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		wantObject(t, d.body, "dispute", "dsp_")
		for _, f := range []string{"id", "type", "status", "stage", "reason", "network_reason_code", "amount", "amount_decimal", "currency",
			"order_id", "transaction_id", "customer_id", "provider", "provider_dispute_id", "case_number", "arn", "due_by", "actions",
			"evidence", "evidence_details", "resolution", "resolution_notes", "resolved_by", "resolved_at", "revision", "tags",
			"metadata", "livemode", "created_at", "updated_at"} {
			if _, ok := d.body[f]; !ok {
				t.Errorf("dispute has no %s field", f)
			}
		}
		id := d.str("id")
		acts := map[string]bool{}
		for _, a := range d.objs("actions") {
			acts[fmt.Sprint(a["action"])] = true
		}
		if !acts["submit_evidence"] || !acts["accept"] {
			t.Errorf("a chargeback needing a response offers %v", acts)
		}
		ev := s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "x"})
		wantObject(t, ev.body, "evidence_item", "evi_")
		n := s.post("/v1/disputes/"+id+"/notes", map[string]any{"body": "called"})
		wantObject(t, n.body, "note", "note_")
		b := s.post("/v1/blocklist", map[string]any{"kind": "ip", "value": "192.0.2.1"})
		wantObject(t, b.body, "blocklist_entry", "blk_")
		for _, e := range s.get("/v1/disputes/" + id + "/timeline").list() {
			wantObject(t, e, "timeline_entry", "tl_")
		}
		e := s.get("/v1/events").list()[0]
		wantObject(t, e, "event", "evt_")
		for _, path := range []string{"/v1/disputes", "/v1/orders", "/v1/events", "/v1/blocklist", "/v1/disputes/" + id + "/evidence"} {
			l := s.get(path)
			if l.str("object") != "list" || l.get("data") == nil || l.get("has_more") == nil {
				t.Errorf("%s is not a list: %.200s", path, l.raw)
			}
			if _, ok := l.body["next_cursor"]; !ok {
				t.Errorf("%s has no next_cursor", path)
			}
		}
	})
}

// TestStaleRevisionOnSubActions: every dispute mutation takes an optional revision; a stale one
// is 409 revision_conflict and changes nothing.
func TestStaleRevisionOnSubActions(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		_, _, charge := s.sale(1000, "usd")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		want(t, d, 201)
		id := d.str("id")
		cur := s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"), "evidence": map[string]any{"uncategorized_text": "x"}})
		want(t, cur, 200)
		stale := d.num("revision")
		state := []string{"/v1/disputes/" + id, "/v1/transactions/" + charge, "/v1/events?limit=100", "/v1/disputes/" + id + "/evidence"}
		before := s.snapshot(state...)
		for _, c := range []struct {
			path string
			body map[string]any
		}{
			{"/submit", map[string]any{"revision": stale}},
			{"/close", map[string]any{"revision": stale}},
			{"/status", map[string]any{"revision": stale, "status": "under_review"}},
			{"/resolve", map[string]any{"revision": stale, "resolution": "lost"}},
			{"/evidence", map[string]any{"revision": stale, "type": "text", "content": "x"}},
			{"", map[string]any{"revision": stale, "tags": []string{"x"}}},
		} {
			r := s.post("/v1/disputes/"+id+c.path, c.body)
			want(t, r, 409, "revision_conflict")
			if r.str("error", "param") != "revision" {
				t.Errorf("%s: param %q", c.path, r.str("error", "param"))
			}
		}
		if after := s.snapshot(state...); !bytes.Equal(before, after) {
			t.Errorf("stale requests changed something:\n%s\n%s", before, after)
		}
		// The current revision is accepted by a sub-action and moves it by one.
		sub := s.post("/v1/disputes/"+id+"/submit", map[string]any{"revision": cur.num("revision")})
		want(t, sub, 200)
		if sub.num("revision") != cur.num("revision")+1 {
			t.Errorf("revision %d after submit, want %d", sub.num("revision"), cur.num("revision")+1)
		}
	})
}

// TestNotesAndTimeline: notes are internal, append-only and oldest first; the timeline records
// who, from and to for each change, oldest first.
func TestNotesAndTimeline(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		_, ord, charge := s.sale(1000, "usd")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge, "reason": "fraudulent"})
		want(t, d, 201)
		id := d.str("id")
		for _, b := range []string{"first", "second", "third"} {
			want(t, s.post("/v1/disputes/"+id+"/notes", map[string]any{"body": b}), 201)
		}
		want(t, s.post("/v1/disputes/"+id+"/notes", map[string]any{"body": ""}), 422)
		want(t, s.post("/v1/disputes/dsp_nope/notes", map[string]any{"body": "x"}), 404)
		notes := s.get("/v1/disputes/" + id + "/notes").list()
		if len(notes) != 3 || notes[0]["body"] != "first" || notes[2]["body"] != "third" || notes[0]["author"] == "" {
			t.Errorf("notes: %v", notes)
		}
		// Notes are not changes to the dispute: no revision, and not in any event.
		if got := s.get("/v1/disputes/" + id).num("revision"); got != d.num("revision") {
			t.Errorf("notes moved the revision to %d", got)
		}
		for _, e := range s.get("/v1/events?limit=100").list() {
			full := s.get("/v1/events/" + fmt.Sprint(e["id"]))
			if bytes.Contains(full.raw, []byte("second")) {
				t.Errorf("an event carries an internal note: %s", full.raw)
			}
		}
		want(t, s.post("/v1/disputes/"+id+"/close", map[string]any{"note": "conceding"}), 200)

		tl := s.get("/v1/disputes/" + id + "/timeline").list()
		var actions []string
		for _, e := range tl {
			actions = append(actions, fmt.Sprint(e["action"]))
			if e["actor"] == "" || e["dispute_id"] != id {
				t.Errorf("timeline entry: %v", e)
			}
		}
		wantActions := []string{"created", "email_not_sent", "note_added", "note_added", "note_added", "conceded", "funds_withdrawn", "email_not_sent"}
		if strings.Join(actions, ",") != strings.Join(wantActions, ",") {
			t.Errorf("timeline %v, want %v", actions, wantActions)
		}
		if c := tl[5]; c["from"] != "needs_response" || c["to"] != "lost" || !strings.HasPrefix(fmt.Sprint(c["actor"]), "admin:key_") {
			t.Errorf("concession entry: %v", c)
		}
		otl := s.get("/v1/orders/" + ord + "/timeline").list()
		if len(otl) < 3 || otl[0]["action"] != "order_created" {
			t.Errorf("order timeline: %v", otl)
		}
		want(t, s.get("/v1/disputes/dsp_nope/timeline"), 404)
	})
}
