package app_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestStripeEventsDriveTheDispute: a Stripe dispute's events open it and do, in the same
// transaction, what opening a dispute means (the service line suspended, the customer blocked,
// the customer told, the deadline scheduled, the event on the timeline as Stripe sent it); a
// replay changes nothing; the withdrawal and the decision are applied, and an older update
// arriving late is not. (What HTTP shows of it, the signature check and the answers, is
// internal/httpapi's TestStripeDisputeIsHandledAutomatically.)
func TestStripeEventsDriveTheDispute(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		block := true
		testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{BlockOnDispute: &block}))(t)
		sale := e.Sale(testenv.SaleParams{Amount: 4999, Line: &order.LineSpec{Panel: "manual", ExternalID: "svc-1"}})
		ref := sale.Charge.ProviderReference
		send := func(id, typ, status string) testenv.EventResult {
			return testenv.Must(e.SendStripe(testenv.StripeEvent(id, typ, status, "dp_1QStripe0001", ref, e.Clock.Now())))(t)
		}
		line := func() order.Line { return orderOf(e, sale.Order.ID).Lines[0] }

		id := send("evt_1", "charge.dispute.created", "needs_response").DisputeID
		d := e.Reload(dispute.Dispute{ID: id})
		if d.ProviderDisputeID != "dp_1QStripe0001" || d.Provider != "stripe" || d.TransactionID != sale.Charge.ID || d.OrderID != sale.Order.ID ||
			d.CustomerID != sale.Customer.ID || d.NetworkReasonCode != "10.4" || d.Amount != 4999 || d.Currency != "USD" ||
			d.Status != dispute.NeedsResponse || d.DueBy.IsZero() {
			t.Fatalf("dispute from Stripe: %+v", d)
		}
		if l := line(); l.PendingAction != order.Suspend {
			t.Errorf("line not suspended: %+v", l)
		}
		if bl, _, err := e.App.Blocks(e.Ctx, testenv.Admin, store.BlockFilter{Kind: "email", Page: store.Page{Limit: 100}}); err != nil ||
			len(bl) != 1 || bl[0].Value != sale.Customer.Email {
			t.Errorf("block list: %+v, %v", bl, err)
		}
		if es := testenv.Must(e.App.Emails(e.Ctx, testenv.Admin, store.EmailFilter{DisputeID: id}))(t); len(es) != 1 || es[0].Template != "dispute_opened" {
			t.Errorf("emails: %+v", es)
		}
		if js := jobsOf(t, e, store.JobFilter{Kind: "dispute.deadline", State: "scheduled", Page: store.Page{Limit: 100}}); len(js) != 1 {
			t.Errorf("deadline jobs: %+v", js)
		}
		tl := testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, id))(t)
		last := tl[len(tl)-1]
		if last.Action != "provider_event" || last.Actor != "provider:stripe" {
			t.Errorf("timeline ends with %+v", last)
		}
		var payload struct{ ID, Type string }
		if err := json.Unmarshal(last.Payload, &payload); err != nil || payload.ID != "evt_1" || payload.Type != "charge.dispute.created" {
			t.Errorf("the raw payload on the timeline: %s (%v)", last.Payload, err)
		}

		// A replay, twice, changes nothing.
		events := len(e.EventTypes(store.EventFilter{Page: store.Page{Limit: 100}}))
		for range 2 {
			if again := send("evt_1", "charge.dispute.created", "needs_response"); !again.Duplicate || again.DisputeID != id {
				t.Fatalf("replay: %+v", again)
			}
		}
		if ds := testenv.Must(e.Store.ListDisputes(e.Ctx, store.DisputeFilter{Page: store.Page{Limit: 100}}))(t); len(ds) != 1 {
			t.Fatalf("%d disputes after replays", len(ds))
		}
		if n := len(e.EventTypes(store.EventFilter{Page: store.Page{Limit: 100}})); n != events {
			t.Fatalf("replays wrote %d events", n-events)
		}

		// Money withdrawn, then the decision; an older update arriving late changes nothing.
		e.Clock.Advance(time.Minute)
		send("evt_2", "charge.dispute.funds_withdrawn", "needs_response")
		late := testenv.StripeEvent("evt_3", "charge.dispute.updated", "under_review", "dp_1QStripe0001", ref, e.Clock.Now())
		e.Clock.Advance(time.Minute)
		send("evt_4", "charge.dispute.closed", "lost")
		if lr := testenv.Must(e.SendStripe(late))(t); !strings.Contains(lr.Outcome, "older") {
			t.Errorf("late event outcome: %+v", lr)
		}
		if d := e.Reload(d); d.Status != dispute.Lost || d.ResolvedBy != "provider:stripe" {
			t.Fatalf("after closed lost and a late update: %s by %s", d.Status, d.ResolvedBy)
		}
		if pay := charge(e, sale.Charge.ID).Transaction; pay.AmountWithdrawn != 4999 {
			t.Fatalf("withdrawn %d, want the disputed amount once", pay.AmountWithdrawn)
		}
		if l := line(); l.PendingAction != order.Terminate {
			t.Errorf("line after the loss: %+v", l)
		}
	})
}
