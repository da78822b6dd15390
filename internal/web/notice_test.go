package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// TestSecurityNoticeOnlyByCode follows a link that puts its own words in ?done=, as a phisher
// would send it to an admin: the page shows no notice, so the site never says what it did not
// say. A real action's redirect carries a code, and the page shows the sentence for it.
func TestSecurityNoticeOnlyByCode(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		f := e.Forms(c, actor.Admin, "")
		forged := "Your account is suspended. Call +1 555 0100 to restore it."
		a := f.Get("/?done=" + url.QueryEscape(forged))
		if a.Status != http.StatusOK || strings.Contains(a.Body, "Call +1 555 0100") || strings.Contains(a.Body, `class="notice"`) {
			t.Fatalf("a forged notice is shown (%d):\n%s", a.Status, a.Body)
		}

		ord := noticeTwoLineOrder(t, e, 1500)
		a = f.Post("/orders/"+ord+"/dispute", f.Signed(url.Values{"reason": {"product_not_received"}, "confirm": {"yes"}}))
		if a.Status != http.StatusSeeOther || !strings.Contains(a.Location, "done=dispute_opened") {
			t.Fatalf("opening a dispute: %d to %q", a.Status, a.Location)
		}
		if a = f.Get(a.Location); !strings.Contains(a.Body, "Dispute opened.") {
			t.Fatalf("the real notice is not shown after the action:\n%s", a.Body)
		}
	})
}

// noticeTwoLineOrder is a completed, charged order with two service lines, on the manual panel
// and on a second manual panel, and returns its id.
func noticeTwoLineOrder(t *testing.T, e *testenv.Env, amount int64) string {
	t.Helper()
	testenv.Must(e.App.CreatePanel(e.Ctx, testenv.Admin, app.PanelParams{Name: "vpnpanel", Type: "manual"}))(t)
	cus := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "lines@example.com"}))(t)
	iptv, vpn := amount-100, int64(100)
	o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: cus.ID, Currency: "USD", Items: []app.ItemParams{
		{Description: "IPTV", Amount: &iptv, Line: &order.LineSpec{Panel: "manual", ExternalID: "u-1"}},
		{Description: "VPN", Amount: &vpn, Line: &order.LineSpec{Panel: "vpnpanel", ExternalID: "v-9"}},
	}}))(t)
	for _, l := range o.Lines {
		if l.State != order.LinePending {
			t.Fatalf("a new order's line is %v", l.State)
		}
	}
	done := testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t)
	for _, l := range done.Lines {
		if l.State != order.LineActive || l.PendingAction != order.NoAction {
			t.Fatalf("a completed order's line: %+v", l)
		}
	}
	testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: o.Order.ID,
		Money: app.Money{Amount: &amount, Currency: "usd"}}))(t)
	return o.Order.ID
}
