package app_test

import (
	"strings"
	"testing"

	"disputed/internal/app"
	"disputed/internal/order"
	"disputed/internal/outbound"
	"disputed/internal/panel/paneltest"
	"disputed/internal/testenv"
)

// TestPanelOnAPrivateAddressIsRefused: with the outbound client the process uses by default (no
// DISPUTED_WEBHOOK_ALLOW_PRIVATE) the server does not call loopback or private addresses; the
// action goes to an admin with the reason.
func TestPanelOnAPrivateAddressIsRefused(t *testing.T) {
	t.Parallel()
	testenv.EachWith(t, testenv.Options{Outbound: outbound.NewClient(outbound.Policy{})}, func(t *testing.T, e *testenv.Env) {
		p := paneltest.Start(t, e.Clock.Now)
		testenv.Must(e.App.CreatePanel(e.Ctx, testenv.Admin, app.PanelParams{Name: "lan", Type: "http", BaseURL: p.URL,
			Secret: paneltest.Secret}))(t)
		s := e.Sale(testenv.SaleParams{Amount: 2500, Line: &order.LineSpec{Panel: "lan", ExternalID: "x"}})
		openCase(t, e, s)
		e.RunJobs()
		l := wantLine(t, e, s.Order.ID, order.LineActive, order.Suspend, true)
		if !strings.Contains(l.PendingReason, "private address") || len(p.CallsTo("")) != 0 {
			t.Fatalf("reason %q, calls %v", l.PendingReason, p.CallsTo(""))
		}
	})
}
