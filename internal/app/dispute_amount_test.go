package app_test

import (
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestDisputeAmountCapped: a buyer opened a marketplace dispute for 4,611,686,018,427,387,904
// USD on a 15.00 order. No path may set a dispute's amount above what it disputes: the charge,
// or the order's total when no charge is recorded.
func TestDisputeAmountCapped(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		// A completed order with no charge recorded.
		cus := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "ada@example.com", Name: "Ada"}))(t)
		o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: cus.ID, Currency: "USD",
			Items: []app.ItemParams{{Description: "IPTV 12 months", Amount: ptr(int64(1500)), Quantity: 1}}}))(t)
		ord := testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t).Order.ID
		buyer := actor.Key("key_buyer", actor.Buyer, cus.ID)

		_, err := e.App.CreateDispute(e.Ctx, buyer, app.DisputeParams{Type: "marketplace", OrderID: ord,
			Money: app.Money{Amount: ptr(int64(4611686018427387904))}})
		if fe := testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidAmount); fe.Param != "amount" {
			t.Errorf("the refusal names %q, want amount: %v", fe.Param, err)
		}
		_, err = e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "manual", OrderID: ord, Reason: "general",
			Description: "letter", Money: app.Money{AmountDecimal: ptr("15.01")}})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidAmount)
		if ds, _, err := e.App.ListDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{OrderID: ord}, nil); err != nil || len(ds) != 0 {
			t.Fatalf("a refused dispute was stored: %+v %v", ds, err)
		}
		d := testenv.Must(e.App.CreateDispute(e.Ctx, buyer, app.DisputeParams{Type: "marketplace", OrderID: ord}))(t)
		if d.Amount != 1500 {
			t.Errorf("a marketplace dispute without an amount is for %d, want the order's 1500", d.Amount)
		}
		charge := e.Sale(testenv.SaleParams{Amount: 1295}).Charge.ID
		_, err = e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: charge,
			Money: app.Money{Amount: ptr(int64(1296))}})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidAmount)
	})
}
