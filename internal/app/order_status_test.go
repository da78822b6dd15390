package app_test

import (
	"fmt"
	"testing"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// statusChanges are the order's order_status_changed entries, as "from→to".
func statusChanges(t *testing.T, e *testenv.Env, ord string) []string {
	t.Helper()
	var out []string
	for _, entry := range testenv.Must(e.App.OrderTimeline(e.Ctx, testenv.Admin, ord))(t) {
		if entry.Action == "order_status_changed" {
			out = append(out, entry.From+"→"+entry.To)
		}
	}
	return out
}

// reviewedMarketplaceDispute is a buyer's marketplace dispute on a sale of amount with a line on
// the manual panel, moved to pending_review, where it can be resolved.
func reviewedMarketplaceDispute(t *testing.T, e *testenv.Env, amount int64) (dispute.Dispute, testenv.Sale) {
	t.Helper()
	s := e.Sale(testenv.SaleParams{Amount: amount, Line: &order.LineSpec{Panel: "manual", ExternalID: "svc-1"}})
	d := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "marketplace", OrderID: s.Order.ID,
		InitiatedBy: "buyer", Description: "not as described"}))(t)
	d = testenv.Must(e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, nil, "pending_review", ""))(t)
	return d, s
}

// TestOrderStatusFollowsMoney: an order's status is what its money says, whichever way the money
// moved; a marketplace resolution moves it only through the refund it records.
func TestOrderStatusFollowsMoney(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		orderStatus := func(t *testing.T, id string) order.Status {
			return testenv.Must(e.App.Order(e.Ctx, testenv.Admin, id))(t).Order.Status
		}
		t.Run("partial_refund_of_the_whole_charge", func(t *testing.T) {
			d, s := reviewedMarketplaceDispute(t, e, 2500)
			testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d.ID, nil, app.ResolveParams{Resolution: "partial_refund",
				RefundAmount: app.Money{Amount: ptr(int64(2500))}}))(t)
			if st := orderStatus(t, s.Order.ID); st != order.Refunded {
				t.Errorf("order after a partial_refund of everything: %s", st)
			}
			ch := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, s.Charge.ID))(t)
			if ch.Transaction.AmountRefunded != 2500 || len(ch.Refunds) != 1 {
				t.Errorf("charge: %+v, %d refunds", ch.Transaction, len(ch.Refunds))
			}
			if got := statusChanges(t, e, s.Order.ID); len(got) != 1 || got[0] != "completed→refunded" {
				t.Errorf("order status changes %v, want one completed→refunded", got)
			}
			var money []string // the dispute's entries about its outcome and its money
			for _, entry := range testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, d.ID))(t) {
				if a := entry.Action; a == "resolved" || a == "refund_created" || a == "funds_withdrawn" {
					money = append(money, a)
				}
			}
			if fmt.Sprint(money) != "[resolved refund_created]" {
				t.Errorf("dispute timeline: %v", money)
			}
		})
		t.Run("favor_vendor_after_a_refund", func(t *testing.T) {
			d, s := reviewedMarketplaceDispute(t, e, 2500)
			testenv.Must(e.App.Refund(e.Ctx, testenv.Admin, s.Charge.ID, app.RefundParams{Money: app.Money{Amount: ptr(int64(1000))}}))(t)
			testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d.ID, nil, app.ResolveParams{Resolution: "favor_vendor"}))(t)
			if st := orderStatus(t, s.Order.ID); st != order.PartiallyRefunded {
				t.Errorf("order after favor_vendor, 1000 of 2500 refunded before: %s", st)
			}
			if got := statusChanges(t, e, s.Order.ID); len(got) != 1 || got[0] != "completed→partially_refunded" {
				t.Errorf("order status changes %v", got)
			}
		})
		t.Run("full_refund_of_two_charges", func(t *testing.T) {
			// An order whose charges were recorded after its dispute opened: the dispute names
			// none of them, its money comes from both.
			c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "two@example.com"}))(t)
			o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, Currency: "USD",
				Items: []app.ItemParams{{Description: "plan", Amount: ptr(int64(3200))}}}))(t)
			ord := o.Order.ID
			testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, ord))(t)
			d := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "marketplace", OrderID: ord,
				InitiatedBy: "buyer", Description: "never arrived"}))(t)
			charge := func(amount int64) string {
				return testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: ord,
					Money: app.Money{Amount: &amount, Currency: "USD"}}))(t).Transaction.ID
			}
			first, second := charge(2500), charge(700)
			testenv.Must(e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, nil, "pending_review", ""))(t)
			testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d.ID, nil, app.ResolveParams{Resolution: "full_refund"}))(t)
			refunded := func(id string) int64 {
				return testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, id))(t).Transaction.AmountRefunded
			}
			if a, b := refunded(first), refunded(second); a != 2500 || b != 700 {
				t.Errorf("refunded %d and %d, want 2500 and 700", a, b)
			}
			// Where the money ended, once: not completed → partially_refunded → refunded.
			if got := statusChanges(t, e, ord); len(got) != 1 || got[0] != "completed→refunded" {
				t.Errorf("order status changes %v, want one completed→refunded", got)
			}
		})
		t.Run("refund_of_a_pending_order", func(t *testing.T) {
			c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "early@example.com"}))(t)
			o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, Currency: "USD",
				Items: []app.ItemParams{{Description: "plan", Amount: ptr(int64(800))}}}))(t)
			ord := o.Order.ID
			ch := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: ord,
				Money: app.Money{Amount: ptr(int64(800)), Currency: "USD"}}))(t)
			testenv.Must(e.App.Refund(e.Ctx, testenv.Admin, ch.Transaction.ID, app.RefundParams{}))(t)
			if st := orderStatus(t, ord); st != order.Pending {
				t.Errorf("a refunded pending order: %s", st)
			}
			if done := testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, ord))(t); done.Order.Status != order.Refunded {
				t.Errorf("an order completed after its charge was refunded: %s", done.Order.Status)
			}
		})
	})
}
