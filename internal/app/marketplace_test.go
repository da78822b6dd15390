package app_test

import (
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestMarketplaceResolutions checks what each resolution does to the order and the charge.
func TestMarketplaceResolutions(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		decide := func(e *testenv.Env, id string, p app.ResolveParams) (dispute.Dispute, error) {
			return e.App.ResolveDispute(e.Ctx, testenv.Admin, id, nil, p)
		}
		t.Run("full_refund", func(t *testing.T) {
			e := e.On(t)
			d, s := marketplaceDispute(e, 2500, true)
			r := testenv.Must(decide(e, d.ID, app.ResolveParams{Resolution: "full_refund", Notes: "vendor never shipped"}))(t)
			if r.Status != dispute.Resolved || r.Resolution != dispute.FullRefund {
				t.Fatalf("resolved: status %s resolution %s", r.Status, r.Resolution)
			}
			o := orderOf(e, s.Order.ID)
			if o.Order.Status != order.Refunded || o.Dispute != nil {
				t.Errorf("order: status %s, open dispute %v", o.Order.Status, o.Dispute != nil)
			}
			if len(o.Lines) != 1 || o.Lines[0].PendingAction != order.Terminate {
				t.Errorf("line after full_refund: %+v", o.Lines)
			}
			if ch := charge(e, s.Charge.ID); ch.Transaction.AmountRefunded != 2500 || len(ch.Refunds) != 1 {
				t.Errorf("charge: refunded %d, %d refunds", ch.Transaction.AmountRefunded, len(ch.Refunds))
			}
			// Resolved, then closed; closed is final.
			c := testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, d.ID, nil, ""))(t)
			if c.Status != dispute.Closed {
				t.Errorf("closed: %s", c.Status)
			}
			for _, status := range []string{"open", "pending_review"} {
				_, err := e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, nil, status, "")
				testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
			}
			_, _, err := e.App.AddEvidence(e.Ctx, testenv.Admin, d.ID, nil, app.EvidenceParams{Type: "text", Content: "late"})
			testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		})
		t.Run("favor_vendor", func(t *testing.T) {
			e := e.On(t)
			d, s := marketplaceDispute(e, 2500, true)
			testenv.Must(e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, nil, "escalated", ""))(t)
			testenv.Must(decide(e, d.ID, app.ResolveParams{Resolution: "favor_vendor"}))(t)
			if o := orderOf(e, s.Order.ID); o.Order.Status != order.Completed || o.Dispute != nil {
				t.Errorf("order: status %s, open dispute %v", o.Order.Status, o.Dispute != nil)
			}
			if ch := charge(e, s.Charge.ID); ch.Transaction.AmountRefunded != 0 || len(ch.Refunds) != 0 {
				t.Errorf("favor_vendor refunded: %d, %d refunds", ch.Transaction.AmountRefunded, len(ch.Refunds))
			}
			if n := testenv.Count(e.DisputeEventTypes(d.ID), "refund.created"); n != 0 {
				t.Errorf("%d refund.created events for favor_vendor", n)
			}
		})
		t.Run("partial_refund", func(t *testing.T) {
			e := e.On(t)
			d, s := marketplaceDispute(e, 2500, true)
			if err := refund(e, s.Charge.ID, 1000); err != nil {
				t.Fatal(err)
			}
			before := snap(e, d, s)
			_, err := decide(e, d.ID, app.ResolveParams{Resolution: "partial_refund", RefundAmount: app.Money{Amount: minor(1501)}})
			testenv.WantFault(t, err, fault.Invalid, "")
			_, err = decide(e, d.ID, app.ResolveParams{Resolution: "partial_refund"})
			testenv.WantFault(t, err, fault.Invalid, fault.CodeParameterMissing)
			_, err = decide(e, d.ID, app.ResolveParams{Resolution: "favor_vendor", RefundAmount: app.Money{Amount: minor(5)}})
			testenv.WantFault(t, err, fault.Invalid, "")
			before.unchanged(t, snap(e, d, s))
			five := "5.00"
			testenv.Must(decide(e, d.ID, app.ResolveParams{Resolution: "partial_refund", RefundAmount: app.Money{AmountDecimal: &five},
				TerminateLines: true}))(t)
			o := orderOf(e, s.Order.ID)
			if o.Order.Status != order.PartiallyRefunded {
				t.Errorf("order: %s", o.Order.Status)
			}
			if len(o.Lines) != 1 || o.Lines[0].PendingAction != order.Terminate {
				t.Errorf("terminate_lines: %+v", o.Lines)
			}
			if got := charge(e, s.Charge.ID).Transaction.AmountRefunded; got != 1500 {
				t.Errorf("amount refunded %d, want 1500", got)
			}
		})
		t.Run("favor_buyer_after_review", func(t *testing.T) {
			e := e.On(t)
			d, s := marketplaceDispute(e, 900, true)
			testenv.Must(decide(e, d.ID, app.ResolveParams{Resolution: "favor_buyer"}))(t)
			if orderOf(e, s.Order.ID).Order.Status != order.Refunded || charge(e, s.Charge.ID).Transaction.AmountRefunded != 900 {
				t.Errorf("favor_buyer did not refund the order")
			}
		})
		t.Run("mutual_agreement", func(t *testing.T) {
			e := e.On(t)
			d, s := marketplaceDispute(e, 900, true)
			testenv.Must(decide(e, d.ID, app.ResolveParams{Resolution: "mutual_agreement"}))(t)
			o := orderOf(e, s.Order.ID)
			if o.Order.Status != order.Completed || charge(e, s.Charge.ID).Transaction.AmountRefunded != 0 {
				t.Errorf("mutual_agreement: order %s", o.Order.Status)
			}
			// The line was suspended when the dispute opened (pending) and is now wanted active
			// again: nothing is left to do.
			if len(o.Lines) != 1 || o.Lines[0].PendingAction != order.NoAction || o.Lines[0].State != order.LineActive {
				t.Errorf("line after mutual_agreement: %+v", o.Lines)
			}
		})
	})
}

// TestMarketplaceOpen checks opening rules: an order's one open dispute, completed orders only,
// the review path.
func TestMarketplaceOpen(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		d, s := marketplaceDispute(e, 1000, false)
		if got := e.Reload(d); got.Status != dispute.Open || got.Amount != 1000 || got.Currency != "USD" {
			t.Errorf("new marketplace dispute: status %s amount %d %s", got.Status, got.Amount, got.Currency)
		}
		if o := orderOf(e, s.Order.ID); o.Dispute == nil || o.Dispute.ID != d.ID || o.Dispute.Status != dispute.Open || o.Order.Status != order.Completed {
			t.Errorf("order while disputed: status %s, open dispute %+v", o.Order.Status, o.Dispute)
		}
		open := func(p app.DisputeParams) error {
			p.Type = "marketplace"
			_, err := e.App.CreateDispute(e.Ctx, testenv.Admin, p)
			return err
		}
		testenv.WantFault(t, open(app.DisputeParams{OrderID: s.Order.ID, InitiatedBy: "vendor"}), fault.Conflict, fault.CodeDisputeExists)
		testenv.WantFault(t, open(app.DisputeParams{OrderID: s.Order.ID}), fault.Invalid, "")
		testenv.WantFault(t, open(app.DisputeParams{InitiatedBy: "buyer"}), fault.Invalid, fault.CodeParameterMissing)
		c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "p@example.com"}))(t)
		five := int64(5)
		pending := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, Currency: "USD",
			Items: []app.ItemParams{{Description: "x", Amount: &five, Quantity: 1}}}))(t)
		testenv.WantFault(t, open(app.DisputeParams{OrderID: pending.Order.ID, InitiatedBy: "buyer"}), fault.Conflict, fault.CodeInvalidState)
		for _, status := range []string{"escalated", "resolved"} {
			_, err := e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, nil, status, "")
			testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		}
		mv := testenv.Must(e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, nil, "pending_review", "both sides heard"))(t)
		if mv.Status != dispute.PendingReview {
			t.Errorf("moved: %s", mv.Status)
		}
		if o := orderOf(e, s.Order.ID); o.Dispute == nil || o.Dispute.Status != dispute.PendingReview {
			t.Errorf("order's open dispute: %+v", o.Dispute)
		}
	})
}

// TestMarketplaceOnce checks the marketplace's rule that an order is disputed once, ever: a
// second dispute is refused even after the first was closed, whoever asks.
func TestMarketplaceOnce(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		d, s := marketplaceDispute(e, 1200, true)
		testenv.Must(resolve(e, d.ID, "favor_vendor"))(t)
		d = testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, d.ID, nil, ""))(t)
		buyer := actor.Key("key_buyer", actor.Buyer, s.Customer.ID)
		before := snap(e, d, s)
		_, err := e.App.CreateDispute(e.Ctx, buyer, app.DisputeParams{Type: "marketplace", OrderID: s.Order.ID, Description: "once more"})
		if fe := testenv.WantFault(t, err, fault.Conflict, fault.CodeDisputeExists); fe.Param != "order_id" {
			t.Errorf("param %q", fe.Param)
		}
		_, err = e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "marketplace", OrderID: s.Order.ID, InitiatedBy: "vendor"})
		testenv.WantFault(t, err, fault.Conflict, fault.CodeDisputeExists)
		before.unchanged(t, snap(e, d, s))
		if ds := disputesOf(e, s.Order.ID); len(ds) != 1 {
			t.Errorf("the order has %d disputes, want 1", len(ds))
		}
	})
}

// TestPartyCannotSetDeadline checks that a buyer or vendor opening a marketplace dispute cannot
// choose its due date (a buyer once gave the vendor 5 seconds instead of 48 hours), while staff
// can.
func TestPartyCannotSetDeadline(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 800})
		buyer := actor.Key("key_buyer", actor.Buyer, s.Customer.ID)
		soon := e.Clock.Now().Add(5 * time.Second)
		_, err := e.App.CreateDispute(e.Ctx, buyer, app.DisputeParams{Type: "marketplace", OrderID: s.Order.ID, DueBy: soon})
		if fe := testenv.WantFault(t, err, fault.Forbidden, fault.CodeForbidden); fe.Param != "due_by" {
			t.Errorf("param %q", fe.Param)
		}
		if ds := disputesOf(e, s.Order.ID); len(ds) != 0 {
			t.Fatalf("the refused dispute was opened: %d disputes", len(ds))
		}
		d := testenv.Must(e.App.CreateDispute(e.Ctx, buyer, app.DisputeParams{Type: "marketplace", OrderID: s.Order.ID}))(t)
		if d.DueBy.Sub(e.Clock.Now()) < 47*time.Hour {
			t.Errorf("a buyer's dispute is due %s, want the 48 h window from %s", d.DueBy, e.Clock.Now())
		}
		// Staff may move it; the party still may not (updates are staff's).
		later := e.Clock.Now().Add(72 * time.Hour).Truncate(time.Second)
		_, err = e.App.UpdateDispute(e.Ctx, buyer, d.ID, d.Revision, app.UpdateDisputeParams{UpdateParams: dispute.UpdateParams{DueBy: &soon}})
		testenv.WantFault(t, err, fault.Forbidden, "")
		moved := testenv.Must(update(e, d.ID, d.Revision, dispute.UpdateParams{DueBy: &later}))(t)
		if !moved.DueBy.Equal(later) {
			t.Errorf("staff moved the due date to %s, want %s", moved.DueBy, later)
		}
	})
}

// disputesOf lists the disputes of an order.
func disputesOf(e *testenv.Env, orderID string) []dispute.Dispute {
	e.T.Helper()
	ds, _, err := e.App.ListDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{OrderID: orderID, Page: store.Page{Limit: 100}}, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	return ds
}
