package app_test

import (
	"fmt"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// TestManualDisputeLoss: a manual dispute lost by an admin's resolution, by a concession or by
// its due date records the same thing: an external refund of the disputed amount (the customer
// got it back through the case decided elsewhere), no network withdrawal, the order refunded.
func TestManualDisputeLoss(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		ways := map[string]func(id string){
			"resolved_lost": func(id string) {
				testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, id, nil, app.ResolveParams{Resolution: "lost", Notes: "PayPal sided with the buyer"}))(t)
			},
			"conceded": func(id string) {
				testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, id, nil, "not worth fighting"))(t)
			},
			"due_date_passed": func(string) { e.Advance(25 * time.Hour) },
		}
		for _, name := range []string{"resolved_lost", "conceded", "due_date_passed"} {
			s := e.Sale(testenv.SaleParams{Amount: 4000})
			d := testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, s.Order.ID, app.ManualDisputeParams{Reason: "general",
				Description: "PayPal case", ExternalReference: "PP-" + name, EvidenceDueBy: e.Clock.Now().Add(24 * time.Hour)}))(t)
			ways[name](d.ID)
			if got := e.Reload(d).Status; got != dispute.Lost {
				t.Fatalf("%s: status %s", name, got)
			}
			charge := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, s.Charge.ID))(t)
			if charge.Transaction.AmountRefunded != 4000 || charge.Transaction.AmountWithdrawn != 0 {
				t.Errorf("%s: the charge has %d refunded and %d withdrawn; want 4000 and 0", name,
					charge.Transaction.AmountRefunded, charge.Transaction.AmountWithdrawn)
			}
			if len(charge.Refunds) != 1 || !charge.Refunds[0].External || charge.Refunds[0].DisputeID != d.ID {
				t.Errorf("%s: refunds %+v; want one external refund of the dispute", name, charge.Refunds)
			}
			if o := testenv.Must(e.App.Order(e.Ctx, testenv.Admin, s.Order.ID))(t); o.Order.Status != order.Refunded {
				t.Errorf("%s: the order is %s; want refunded", name, o.Order.Status)
			}
			var money []string
			for _, entry := range testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, d.ID))(t) {
				if entry.Action == "refund_created" || entry.Action == "funds_withdrawn" {
					money = append(money, entry.Action)
				}
			}
			if fmt.Sprint(money) != "[refund_created]" {
				t.Errorf("%s: the timeline's money entries are %v; want [refund_created]", name, money)
			}
		}
	})
}
