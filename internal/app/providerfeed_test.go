package app_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// feedEvent is an object of the generic feed testenv.StreamFeed, as it sends it.
func feedEvent(t *testing.T, object map[string]any) testenv.Notification {
	b, err := json.Marshal(object)
	if err != nil {
		t.Fatal(err)
	}
	return testenv.Notification{Provider: testenv.StreamFeed, ID: object["id"].(string), Body: b}
}

// TestGenericFeedDisputes: an RDR alert from a generic feed is decided already: the network's
// refund is recorded as an external refund and the order shows no open dispute, also when the
// alert arrived before its payment; a chargeback
// from the feed is decided by a later object with its case number, which opens no second
// dispute. (What HTTP shows of the feed, its signature check and its answers, is
// internal/httpapi's TestGenericFeed.)
func TestGenericFeedDisputes(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		testenv.Must(e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: testenv.StreamFeed, Type: "generic",
			WebhookSecret: testenv.StreamFeedSecret}))(t)
		receive := func(object map[string]any) testenv.EventResult {
			return testenv.Must(e.Receive(feedEvent(t, object)))(t)
		}
		sale := e.Sale(testenv.SaleParams{Amount: 4999, Line: &order.LineSpec{Panel: "manual", ExternalID: "svc-1"}})
		r := receive(map[string]any{"id": "alrt-1", "type": "alert", "alert_type": "rdr", "amount": "49.99", "currency": "USD",
			"arn": "74000000000000000000077", "transaction_reference": sale.Charge.ProviderReference, "happened_at": "2026-11-20T10:00:00Z"})
		if a := e.Reload(dispute.Dispute{ID: r.DisputeID}); a.Type != dispute.Alert || a.AlertType != "rdr" || a.Resolution != "issued_full_refund" {
			t.Fatalf("RDR alert: %+v", a)
		}
		if pay := charge(e, sale.Charge.ID); pay.Transaction.AmountRefunded != 4999 || len(pay.Refunds) != 1 || !pay.Refunds[0].External {
			t.Fatalf("the network's refund: %+v", pay)
		}
		if o := orderOf(e, sale.Order.ID); o.Dispute != nil {
			t.Fatalf("the RDR order still shows an open dispute: %+v", o.Dispute)
		}

		sale2 := e.Sale(testenv.SaleParams{Amount: 2500})
		cb := receive(map[string]any{"id": "cb-1", "type": "chargeback", "status": "needs_response", "amount": "25.00", "currency": "usd",
			"reason": "fraudulent", "network_reason_code": "10.4", "case_number": "C-1", "transaction_reference": sale2.Charge.ProviderReference,
			"happened_at": "2026-11-22T10:00:00Z", "due_by": "2026-12-01T00:00:00Z"})
		e.Clock.Advance(time.Minute)
		won := receive(map[string]any{"id": "cb-2", "type": "chargeback", "status": "won", "amount": "25.00", "currency": "usd",
			"case_number": "C-1", "transaction_reference": sale2.Charge.ProviderReference, "happened_at": "2026-11-23T10:00:00Z"})
		if won.DisputeID != cb.DisputeID {
			t.Fatalf("a second object with the case number opened another dispute: %+v", won)
		}
		if d := e.Reload(dispute.Dispute{ID: cb.DisputeID}); d.Status != dispute.Won || d.OrderID != sale2.Order.ID {
			t.Fatalf("feed chargeback: %s on order %q", d.Status, d.OrderID)
		}

		// An RDR alert that arrives before its payment is decided once the payment arrives and
		// matches it, as on opening matched.
		early := receive(map[string]any{"id": "alrt-2", "type": "alert", "alert_type": "rdr", "amount": "30.00", "currency": "USD",
			"arn": "74000000000000000000078", "transaction_reference": "pay_late", "happened_at": "2026-11-24T10:00:00Z"})
		if a := e.Reload(dispute.Dispute{ID: early.DisputeID}); a.Matched() || a.Status != dispute.Open {
			t.Fatalf("an RDR alert before its payment: %+v", a)
		}
		receive(map[string]any{"id": "pay_late", "type": "transaction", "kind": "charge", "amount": "30.00", "currency": "USD",
			"created": "2026-11-23T10:00:00Z"})
		late := transactionsOf(t, e, "pay_late")[0]
		if a := e.Reload(dispute.Dispute{ID: early.DisputeID}); a.TransactionID != late.Transaction.ID || a.Resolution != "issued_full_refund" {
			t.Fatalf("the RDR alert once its payment arrived: %+v", a)
		}
		if pay := charge(e, late.Transaction.ID); pay.Transaction.AmountRefunded != 3000 || len(pay.Refunds) != 1 || !pay.Refunds[0].External {
			t.Fatalf("the network's refund of the late payment: %+v", pay)
		}
	})
}

// TestStripeMatchArrivesAfterTheDispute: a dispute on a charge not recorded yet stays visible,
// unmatched; the next event after the charge is recorded matches it.
func TestStripeMatchArrivesAfterTheDispute(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		send := func(id, typ string) testenv.EventResult {
			return testenv.Must(e.SendStripe(testenv.StripeEvent(id, typ, "needs_response", "dp_1QStripe0001", "ch_3QLater", e.Clock.Now())))(t)
		}
		r := send("evt_a", "charge.dispute.created")
		if d := e.Reload(dispute.Dispute{ID: r.DisputeID}); d.TransactionID != "" || !strings.Contains(r.Outcome, "unmatched") {
			t.Fatalf("unmatched dispute: %+v / %+v", d, r)
		}
		sale := e.ProviderSale("stripe", "ch_3QLater", "USD", 4999)
		e.Clock.Advance(time.Minute)
		send("evt_b", "charge.dispute.updated")
		d := e.Reload(dispute.Dispute{ID: r.DisputeID})
		if o := orderOf(e, sale.Order.ID); d.TransactionID != sale.Charge.ID || d.OrderID != sale.Order.ID || o.Dispute == nil || o.Dispute.ID != d.ID {
			t.Fatalf("after the match: %+v", d)
		}
	})
}
