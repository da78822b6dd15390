package app_test

import (
	"testing"

	"disputed/internal/app"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// twoLineSale is a completed order of amount with two service lines, one on the built-in manual
// panel and one on a manual panel of its own, and its charge.
func twoLineSale(t *testing.T, e *testenv.Env, amount int64) (app.OrderView, app.TransactionView) {
	t.Helper()
	if _, err := e.App.Panel(e.Ctx, testenv.Admin, "vpnpanel"); err != nil {
		testenv.Must(e.App.CreatePanel(e.Ctx, testenv.Admin, app.PanelParams{Name: "vpnpanel", Type: "manual"}))(t)
	}
	c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "lines@example.com"}))(t)
	o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, Currency: "USD", Items: []app.ItemParams{
		{Description: "IPTV", Amount: ptr(amount - 100), Line: &order.LineSpec{Panel: "manual", ExternalID: "u-1"}},
		{Description: "VPN", Amount: ptr(int64(100)), Line: &order.LineSpec{Panel: "vpnpanel", ExternalID: "v-9"}},
	}}))(t)
	for _, l := range o.Lines {
		if l.State != order.LinePending {
			t.Fatalf("a new order's line is %s", l.State)
		}
	}
	done := testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t)
	for _, l := range done.Lines {
		if l.State != order.LineActive || l.PendingAction != order.NoAction {
			t.Fatalf("a completed order's line: %+v", l)
		}
	}
	ch := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: o.Order.ID,
		Money: app.Money{Amount: &amount, Currency: "usd"}}))(t)
	return done, ch
}
