package httpapi_test

import (
	"encoding/json"
	"testing"
	"time"

	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestDisputeWire keeps what only HTTP shows of the dispute use cases (their rules are tested
// beside internal/app): values refused by the request's schema, the evidence details as the API
// words them, and an event as GET /v1/events/{id} wraps it.
func TestDisputeWire(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "chargeback")
	id, rev := d.ID, d.Revision
	testenv.WantStatus(t, c.Post("/v1/disputes/"+id, map[string]any{"revision": rev, "due_by": "soon"}), 422)
	testenv.WantStatus(t, c.Post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "bogus"}), 422)
	testenv.WantStatus(t, c.Post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "visa", "amount": 500, "currency": "usd"}), 422)
	u := testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes/"+id, map[string]any{"revision": rev, "due_by": "2031-05-01T12:00:00Z",
		"evidence": map[string]string{"customer_name": "Ada"}}), 200)
	if u.DueBy == nil || !u.DueBy.Equal(time.Date(2031, 5, 1, 12, 0, 0, 0, time.UTC)) ||
		u.EvidenceDetails.DueBy == nil || !u.EvidenceDetails.HasEvidence {
		t.Errorf("updated: %+v", u)
	}
	ev := testenv.Want[httpapi.List[httpapi.Event]](t, c.Get("/v1/events?type=dispute.updated&dispute_id="+id), 200).Data[0]
	got := testenv.Want[httpapi.Event](t, c.Get("/v1/events/"+ev.ID), 200)
	var obj httpapi.Dispute
	if err := json.Unmarshal(got.Data.Object, &obj); err != nil || obj.ID != id || obj.Revision != rev+1 || got.Type != "dispute.updated" {
		t.Errorf("GET /v1/events/{id}: %+v %s", got, got.Data.Object)
	}
	testenv.WantError(t, c.Get("/v1/events/evt_nope"), 404, "not_found")
	lost := c.Post("/v1/disputes/"+id+"/close", nil)
	// An empty list, not null: the raw answer is the subject.
	if actions := testenv.Want[struct{ Actions *[]httpapi.Action }](t, lost, 200).Actions; actions == nil || len(*actions) != 0 {
		t.Errorf("a lost dispute's actions are not an empty list: %s", lost.Raw)
	}
}
