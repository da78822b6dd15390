package app_test

import (
	"slices"
	"strings"
	"testing"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/httpapi"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestEventsOfALifecycle follows a sale through a chargeback that is lost and checks the event
// log names each step, in order, with the object as the API shows it after the change.
func TestEventsOfALifecycle(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		sale := e.ManualSale("u-1")
		d := e.Dispute(sale, "chargeback", func(p *app.DisputeParams) { p.Reason, p.Money.Amount = "", minor(sale.Charge.Amount) })
		id, r := d.ID, d.Revision
		testenv.Must(update(e, id, r, dispute.UpdateParams{Evidence: map[string]string{"product_description": "IPTV"}}))(t)
		testenv.Must(first(addEvidence(e, id, app.EvidenceParams{Type: "text", Content: "logs"})))(t)
		testenv.Must(e.App.SubmitDispute(e.Ctx, testenv.Admin, id, nil))(t)
		testenv.Must(resolve(e, id, "lost"))(t)

		// In causal order: a change's own event before its consequences, and an order.updated
		// closing each step that changed what the order shows (completed; its dispute opened, its
		// lines to suspend; the dispute's status under review; the dispute ended, its lines to
		// terminate), not the steps that only changed the dispute's evidence.
		got := e.EventTypes(store.EventFilter{OrderID: sale.Order.ID, Page: store.Page{Limit: 100}})
		wantTypes := []string{"order.created", "order.updated", "transaction.created",
			"dispute.created", "line.action_required", "order.disputed", "order.updated",
			"dispute.updated", "dispute.evidence_added", "dispute.submitted", "order.updated",
			"dispute.resolved", "transaction.created", "line.action_required", "order.updated"}
		if !slices.Equal(got, wantTypes) {
			t.Errorf("events %v\nwant %v", got, wantTypes)
		}

		// Each event carries the object after the change.
		type carried struct {
			ID        string  `json:"id"`
			Object    string  `json:"object"`
			DisputeID *string `json:"dispute_id"`
		}
		evsPage, err := e.App.Events(e.Ctx, testenv.Admin, store.EventFilter{OrderID: sale.Order.ID, Page: store.Page{Limit: 100}})
		evs := evsPage.Rows
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			obj := testenv.EventObject[carried](t, ev)
			if obj.ID == "" || obj.Object == "" {
				t.Errorf("event %s carries no object: %s", ev.ID, ev.Data)
				continue
			}
			switch {
			case strings.HasPrefix(ev.Type, "dispute."):
				if obj.Object != "dispute" || obj.ID != id {
					t.Errorf("%s carries %v %v", ev.Type, obj.Object, obj.ID)
				}
			case ev.Type == "order.created" || ev.Type == "order.updated":
				if obj.Object != "order" || obj.ID != sale.Order.ID {
					t.Errorf("%s carries %+v", ev.Type, obj)
				}
			case ev.Type == "order.disputed":
				if obj.Object != "order" || obj.DisputeID == nil || *obj.DisputeID != id {
					t.Errorf("order.disputed carries %+v", obj)
				}
			case ev.Type == "line.action_required":
				if obj.Object != "line" {
					t.Errorf("line.action_required carries %+v", obj)
				}
			case ev.Type == "transaction.created":
				if obj.Object != "transaction" {
					t.Errorf("transaction.created carries %+v", obj)
				}
			}
		}
		if _, resolved := testenv.LastDisputeEvent[httpapi.Dispute](e, "dispute.resolved", id); resolved.Status != "lost" || resolved.Revision != r+4 {
			t.Errorf("dispute.resolved object: status %v revision %v", resolved.Status, resolved.Revision)
		}
		if _, added := testenv.LastDisputeEvent[httpapi.Dispute](e, "dispute.evidence_added", id); added.Revision != r+2 {
			t.Errorf("dispute.evidence_added shows revision %v, want %d", added.Revision, r+2)
		}
		if _, wd := testenv.LastDisputeEvent[httpapi.Transaction](e, "transaction.created", id); wd.Type != "chargeback" || wd.Amount != sale.Charge.Amount {
			t.Errorf("withdrawal: %+v", wd)
		}
	})
}

// TestEventsOfWin: a manual dispute won moves no money, so it records no reversal of funds that
// were never withdrawn.
func TestEventsOfWin(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		d := testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, sale.Order.ID,
			app.ManualDisputeParams{Reason: "general", Description: "bank letter"}))(t)
		testenv.Must(resolve(e, d.ID, "won"))(t)
		evs := e.DisputeEventTypes(d.ID)
		if testenv.Count(evs, "transaction.created") != 0 || testenv.Count(evs, "dispute.resolved") != 1 {
			t.Errorf("events of a win without withdrawal: %v", evs)
		}
		if ch := charge(e, sale.Charge.ID).Transaction; ch.AmountWithdrawn != 0 || ch.AmountRefunded != 0 {
			t.Errorf("charge after a win: %+v", ch)
		}
	})
}
