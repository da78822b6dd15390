package httpapi_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// objectHead is what every object carries, with its times as written: the shape is the subject.
type objectHead struct {
	ID        string `json:"id"`
	Object    string `json:"object"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

// wantObjectHead checks what every object carries: an id with its type prefix, its object name,
// and created_at and updated_at in RFC 3339 UTC.
func wantObjectHead(t testing.TB, raw []byte, object, prefix string) {
	t.Helper()
	var o objectHead
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatalf("not an object: %v: %s", err, raw)
	}
	if !strings.HasPrefix(o.ID, prefix) || len(o.ID) <= len(prefix) {
		t.Errorf("%s id %q, want prefix %q", object, o.ID, prefix)
	}
	if o.Object != object {
		t.Errorf("object %q, want %s", o.Object, object)
	}
	for f, v := range map[string]string{"created_at": o.CreatedAt, "updated_at": o.UpdatedAt} {
		at, err := time.Parse(time.RFC3339Nano, v)
		if err != nil || !strings.HasSuffix(v, "Z") || at.IsZero() {
			t.Errorf("%s.%s = %q, want an RFC 3339 UTC time", object, f, v)
		}
	}
}

// TestObjectShapes checks every kind of object the API returns.
func TestObjectShapes(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sale := e.ManualSale("u-1")
		charge := sale.Charge.ID
		wantObjectHead(t, c.Get("/v1/customers/"+sale.Customer.ID).Raw, "customer", "cus_")
		o := c.Get("/v1/orders/" + sale.Order.ID)
		wantObjectHead(t, o.Raw, "order", "ord_")
		lines := testenv.Decode[struct{ Lines []json.RawMessage }](t, o).Lines
		if len(lines) != 1 {
			t.Fatalf("order lines: %s", o.Raw)
		}
		wantObjectHead(t, lines[0], "line", "line_")
		line := testenv.Want[httpapi.Order](t, o, 200).Lines[0].ID
		wantObjectHead(t, c.Get("/v1/lines/"+line).Raw, "line", "line_")
		ch := c.Get("/v1/transactions/" + charge)
		wantObjectHead(t, ch.Raw, "transaction", "txn_")
		if f := testenv.Decode[map[string]json.RawMessage](t, ch); f["amount_refunded"] == nil || f["refunds"] == nil || string(f["refunds"]) == "null" {
			t.Errorf("a charge shows amount_refunded and refunds[]: %s", ch.Raw)
		}
		wantObjectHead(t, c.Post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 10}).Raw, "transaction", "txn_")
		d := c.Post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		wantObjectHead(t, d.Raw, "dispute", "dsp_")
		fields := testenv.Decode[map[string]json.RawMessage](t, d)
		for _, f := range []string{"id", "type", "status", "stage", "reason", "network_reason_code", "amount", "amount_decimal", "currency",
			"order_id", "transaction_id", "customer_id", "provider", "provider_dispute_id", "case_number", "arn", "due_by", "actions",
			"evidence", "evidence_details", "resolution", "resolution_notes", "resolved_by", "resolved_at", "revision", "tags",
			"metadata", "livemode", "created_at", "updated_at"} {
			if _, ok := fields[f]; !ok {
				t.Errorf("dispute has no %s field", f)
			}
		}
		dsp := testenv.Want[httpapi.Dispute](t, d, 201)
		id := dsp.ID
		acts := map[string]bool{}
		for _, a := range dsp.Actions {
			acts[a.Action] = true
		}
		if !acts["submit_evidence"] || !acts["accept"] {
			t.Errorf("a chargeback needing a response offers %v", acts)
		}
		wantObjectHead(t, c.Post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "x"}).Raw, "evidence_item", "evi_")
		wantObjectHead(t, c.Post("/v1/disputes/"+id+"/notes", map[string]any{"body": "called"}).Raw, "note", "note_")
		wantObjectHead(t, c.Post("/v1/blocklist", map[string]any{"kind": "ip", "value": "192.0.2.1"}).Raw, "blocklist_entry", "blk_")
		for _, entry := range testenv.Want[httpapi.List[json.RawMessage]](t, c.Get("/v1/disputes/"+id+"/timeline"), 200).Data {
			wantObjectHead(t, entry, "timeline_entry", "tl_")
		}
		wantObjectHead(t, testenv.Want[httpapi.List[json.RawMessage]](t, c.Get("/v1/events"), 200).Data[0], "event", "evt_")
		for _, path := range []string{"/v1/disputes", "/v1/orders", "/v1/events", "/v1/blocklist", "/v1/disputes/" + id + "/evidence"} {
			l := testenv.Want[map[string]json.RawMessage](t, c.Get(path), 200)
			if string(l["object"]) != `"list"` || l["data"] == nil || string(l["data"]) == "null" || l["has_more"] == nil {
				t.Errorf("%s is not a list: %v", path, l)
			}
			if _, ok := l["next_cursor"]; !ok {
				t.Errorf("%s has no next_cursor", path)
			}
		}
	})
}

// TestStaleRevisionOnSubActions: every dispute mutation takes an optional revision; a stale one
// is 409 revision_conflict and changes nothing.
func TestStaleRevisionOnSubActions(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		d := e.Dispute(sale, "chargeback")
		id, stale := d.ID, d.Revision
		cur := testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, id, d.Revision,
			app.UpdateDisputeParams{UpdateParams: dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "x"}}}))(t)
		state := []string{"/v1/disputes/" + id, "/v1/transactions/" + sale.Charge.ID, "/v1/events?limit=100", "/v1/disputes/" + id + "/evidence"}
		before := apiSnapshot(t, c, state...)
		for _, tc := range []struct {
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
			testenv.WantError(t, c.Post("/v1/disputes/"+id+tc.path, tc.body), 409, "revision_conflict", "revision")
		}
		if after := apiSnapshot(t, c, state...); !bytes.Equal(before, after) {
			t.Errorf("stale requests changed something:\n%s\n%s", before, after)
		}
		// The current revision is accepted by a sub-action and moves it by one.
		sub := testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes/"+id+"/submit", map[string]any{"revision": cur.Revision}), 200)
		if sub.Revision != cur.Revision+1 {
			t.Errorf("revision %d after submit, want %d", sub.Revision, cur.Revision+1)
		}
	})
}

// TestNotesAndTimelineWire keeps what only HTTP shows of notes and the timeline (their rules are
// tested beside internal/app, TestNotesAndTimeline): the answers to adding a note, the lists as
// the API shows them, and a change made with an API key recorded as that key.
func TestNotesAndTimelineWire(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		id := e.Dispute(sale, "chargeback", func(p *app.DisputeParams) { p.Reason = "fraudulent" }).ID
		for _, b := range []string{"first", "second", "third"} {
			testenv.WantStatus(t, c.Post("/v1/disputes/"+id+"/notes", map[string]any{"body": b}), 201)
		}
		testenv.WantStatus(t, c.Post("/v1/disputes/"+id+"/notes", map[string]any{"body": ""}), 422)
		testenv.WantStatus(t, c.Post("/v1/disputes/dsp_nope/notes", map[string]any{"body": "x"}), 404)
		notes := testenv.Want[httpapi.List[httpapi.Note]](t, c.Get("/v1/disputes/"+id+"/notes"), 200).Data
		if len(notes) != 3 || notes[0].Body != "first" || notes[2].Body != "third" || notes[0].Author == "" {
			t.Errorf("notes: %+v", notes)
		}
		testenv.WantStatus(t, c.Post("/v1/disputes/"+id+"/close", map[string]any{"note": "conceding"}), 200)

		tl := testenv.Want[httpapi.List[httpapi.TimelineEntry]](t, c.Get("/v1/disputes/"+id+"/timeline"), 200).Data
		var conceded *httpapi.TimelineEntry
		for i, entry := range tl {
			if entry.Actor == "" || wireString(entry.DisputeID) != id {
				t.Errorf("timeline entry: %+v", entry)
			}
			if entry.Action == "conceded" {
				conceded = &tl[i]
			}
		}
		if conceded == nil || wireString(conceded.From) != "needs_response" || wireString(conceded.To) != "lost" ||
			!strings.HasPrefix(conceded.Actor, "admin:key_") {
			t.Errorf("concession entry: %+v", conceded)
		}
		otl := testenv.Want[httpapi.List[httpapi.TimelineEntry]](t, c.Get("/v1/orders/"+sale.Order.ID+"/timeline"), 200).Data
		if len(otl) < 3 || otl[0].Action != "order_created" {
			t.Errorf("order timeline: %+v", otl)
		}
		testenv.WantStatus(t, c.Get("/v1/disputes/dsp_nope/timeline"), 404)
	})
}
