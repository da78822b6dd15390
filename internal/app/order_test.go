package app_test

import (
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/httpapi"
	"disputed/internal/money"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestOrderLifecycle creates, completes and reads an order.
func TestOrderLifecycle(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "Ada@Example.com", Name: "Ada", ExternalID: "crm-1"}))(t)
		if !strings.HasPrefix(c.ID, "cus_") || c.CreatedAt.IsZero() {
			t.Errorf("customer: %+v", c)
		}
		testenv.Must(e.App.Customer(e.Ctx, testenv.Admin, c.ID))(t)
		_, err := e.App.Customer(e.Ctx, testenv.Admin, "cus_nope")
		testenv.WantFault(t, err, fault.NotFound, fault.CodeNotFound)
		_, err = e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "not-an-email"})
		testenv.WantFault(t, err, fault.Invalid, "")

		o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, VendorID: "ven_7", Currency: "eur",
			Items: []app.ItemParams{{Description: "box", AmountDecimal: ptr("19.99"), Quantity: 2}}, Metadata: map[string]string{"cart": "9"}}))(t)
		if dec, _ := money.FormatDecimal(o.Order.Total, o.Order.Currency); o.Order.Status != order.Pending || o.Order.Currency != "EUR" ||
			o.Order.Total != 3998 || dec != "39.98" || o.Order.VendorID != "ven_7" || !strings.HasPrefix(o.Order.ID, "ord_") || o.NeedsManualAction() {
			t.Errorf("order: %+v", o)
		}
		id := o.Order.ID
		_, err = e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: "cus_nope", Currency: "USD",
			Items: []app.ItemParams{{Description: "x", Amount: ptr(int64(1))}}})
		testenv.WantFault(t, err, fault.Invalid, "")
		_, err = e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, Currency: "USD", Items: []app.ItemParams{}})
		testenv.WantFault(t, err, fault.Invalid, "")
		done := testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, id))(t)
		if done.Order.Status != order.Completed || done.Order.CompletedAt.IsZero() {
			t.Errorf("completed: %+v", done.Order)
		}
		_, err = e.App.CompleteOrder(e.Ctx, testenv.Admin, id)
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		_, err = e.App.CompleteOrder(e.Ctx, testenv.Admin, "ord_nope")
		testenv.WantFault(t, err, fault.NotFound, fault.CodeNotFound)
		tl := testenv.Must(e.App.OrderTimeline(e.Ctx, testenv.Admin, id))(t)
		if len(tl) != 2 || tl[0].Action != "order_created" || tl[1].Action != "order_completed" {
			t.Errorf("order timeline: %+v", tl)
		}
	})
}

// TestManualDispute opens an admin's dispute on an order with lines: the lines wait for a
// suspension by hand, the admin confirms it, and a win asks for them to be enabled again.
func TestManualDispute(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		sold, charge := twoLineSale(t, e, 3000)
		cus, ord := sold.Order.CustomerID, sold.Order.ID
		general := app.ManualDisputeParams{Reason: "general", Description: "x"}
		p := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: cus, Currency: "USD",
			Items: []app.ItemParams{{Description: "x", Amount: ptr(int64(5))}}}))(t)
		_, err := e.App.OpenManualDispute(e.Ctx, testenv.Admin, p.Order.ID, app.ManualDisputeParams{Reason: "general", Description: "paypal case"})
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		_, err = e.App.OpenManualDispute(e.Ctx, testenv.Admin, ord, app.ManualDisputeParams{})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeParameterMissing)
		_, err = e.App.OpenManualDispute(e.Ctx, testenv.Admin, "ord_nope", general)
		testenv.WantFault(t, err, fault.NotFound, "")
		buyer := actor.Key("key_buyer", actor.Buyer, cus)
		_, err = e.App.OpenManualDispute(e.Ctx, buyer, ord, general)
		testenv.WantFault(t, err, fault.Forbidden, "")

		d := testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, ord, app.ManualDisputeParams{Reason: "general", Description: "PayPal case",
			ExternalReference: "PP-D-77", EvidenceDueBy: testenv.Start.AddDate(5, 0, 0)}))(t)
		if d.Type != dispute.Manual || d.Status != dispute.NeedsResponse || d.Amount != 3000 || d.ExternalReference != "PP-D-77" ||
			d.CustomerID != cus || d.DueBy.IsZero() {
			t.Fatalf("manual dispute: %+v", d)
		}
		_, err = e.App.OpenManualDispute(e.Ctx, testenv.Admin, ord, app.ManualDisputeParams{Reason: "general", Description: "again"})
		testenv.WantFault(t, err, fault.Conflict, fault.CodeDisputeExists)
		if pay := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, charge.Transaction.ID))(t); pay.ActiveDispute == nil ||
			pay.ActiveDispute.ID != d.ID || pay.ActiveDispute.Status != dispute.NeedsResponse {
			t.Errorf("the payment does not show its active dispute: %+v", pay.ActiveDispute)
		}

		o := testenv.Must(e.App.Order(e.Ctx, testenv.Admin, ord))(t)
		if o.Dispute == nil || o.Dispute.ID != d.ID || o.Dispute.Status != dispute.NeedsResponse || !o.NeedsManualAction() || o.Order.Status != order.Completed {
			t.Fatalf("order under dispute: %+v", o)
		}
		ls := o.Lines
		for _, l := range ls {
			if l.State != order.LineActive || l.PendingAction != order.Suspend || !l.Manual || l.PendingReason == "" {
				t.Errorf("line while disputed: %+v", l)
			}
		}
		if len(ls) != 2 || ls[0].Panel != "manual" {
			t.Fatalf("the order's lines are not in the order of its items: %+v", ls)
		}
		if n := len(e.EventTypes(store.EventFilter{Type: "line.action_required", OrderID: ord})); n != 2 {
			t.Errorf("%d line.action_required events, want 2", n)
		}
		if obj := testenv.EventObject[httpapi.Line](t, e.LastEvent(store.EventFilter{Type: "line.action_required", OrderID: ord})); obj.PendingAction == nil ||
			*obj.PendingAction != "suspend" || obj.Object != "line" {
			t.Errorf("line.action_required object: %+v", obj)
		}

		// The admin suspended both lines by hand.
		_, err = e.App.ConfirmLine(e.Ctx, testenv.Admin, ls[0].ID, "enable")
		testenv.WantFault(t, err, fault.Invalid, fault.CodeActionMismatch)
		_, err = e.App.ConfirmLine(e.Ctx, testenv.Admin, ls[0].ID, "reboot")
		testenv.WantFault(t, err, fault.Invalid, "")
		agent := actor.Key("key_agent", actor.Agent, "")
		for i, l := range ls {
			who := testenv.Admin
			if i == 1 {
				who = agent
			}
			r := testenv.Must(e.App.ConfirmLine(e.Ctx, who, l.ID, "suspend"))(t)
			if r.State != order.LineSuspended || r.PendingAction != order.NoAction {
				t.Errorf("confirmed: %+v", r)
			}
			if i == 0 && !testenv.Must(e.App.Order(e.Ctx, testenv.Admin, ord))(t).NeedsManualAction() {
				t.Errorf("the order stopped needing action with one line still pending")
			}
		}
		_, err = e.App.ConfirmLine(e.Ctx, testenv.Admin, ls[0].ID, "suspend")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		if got := testenv.Must(e.App.Order(e.Ctx, testenv.Admin, ord))(t); got.NeedsManualAction() {
			t.Errorf("needs manual action after confirming every line: %+v", got.Lines)
		}
		if l := testenv.Must(e.App.Line(e.Ctx, testenv.Admin, ls[0].ID))(t); l.State != order.LineSuspended || l.OrderID != ord {
			t.Errorf("line: %+v", l)
		}
		_, err = e.App.ConfirmLine(e.Ctx, buyer, ls[0].ID, "suspend")
		testenv.WantFault(t, err, fault.Forbidden, "")
		if n := len(e.EventTypes(store.EventFilter{Type: "line.suspended", OrderID: ord})); n != 2 {
			t.Errorf("%d line.suspended events, want 2", n)
		}

		// Won: the lines must be enabled again.
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d.ID, nil, app.ResolveParams{Resolution: "won", Notes: "PayPal decided for us"}))(t)
		if pay := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, charge.Transaction.ID))(t); pay.ActiveDispute != nil {
			t.Errorf("the payment still shows an ended dispute: %+v", pay.ActiveDispute)
		}
		o = testenv.Must(e.App.Order(e.Ctx, testenv.Admin, ord))(t)
		if o.Dispute != nil || !o.NeedsManualAction() || o.Order.Status != order.Completed {
			t.Errorf("order after a win: %+v", o)
		}
		for _, l := range o.Lines {
			if l.State != order.LineSuspended || l.PendingAction != order.Enable {
				t.Errorf("line after a win: %+v", l)
			}
			testenv.Must(e.App.ConfirmLine(e.Ctx, testenv.Admin, l.ID, "enable"))(t)
		}
		if got := testenv.Must(e.App.Order(e.Ctx, testenv.Admin, ord))(t); got.NeedsManualAction() || got.Lines[0].State != order.LineActive {
			t.Errorf("order after enabling: %+v", got)
		}
		if n := len(e.EventTypes(store.EventFilter{Type: "line.enabled", OrderID: ord})); n != 2 {
			t.Errorf("%d line.enabled events, want 2", n)
		}
		seen := timelineCounts(testenv.Must(e.App.OrderTimeline(e.Ctx, testenv.Admin, ord))(t))
		if seen["line_action_requested"] != 4 || seen["line_suspend_confirmed"] != 2 || seen["line_enable_confirmed"] != 2 {
			t.Errorf("order timeline actions: %v", seen)
		}
	})
}

// TestVoidOrder: void is admin-only, needs a reason, is final, terminates the lines, closes the
// open dispute, and the voided order takes no more money movements.
func TestVoidOrder(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		sold, charge := twoLineSale(t, e, 2000)
		ord, ch := sold.Order.ID, charge.Transaction.ID
		d := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: ch}))(t)
		_, err := e.App.VoidOrder(e.Ctx, actor.Key("key_agent", actor.Agent, ""), ord, app.VoidParams{Reason: "fraud"})
		testenv.WantFault(t, err, fault.Forbidden, fault.CodeForbidden)
		_, err = e.App.VoidOrder(e.Ctx, testenv.Admin, ord, app.VoidParams{Reason: "   "})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeParameterMissing)
		_, err = e.App.VoidOrder(e.Ctx, testenv.Admin, ord, app.VoidParams{Reason: strings.Repeat("x", 501)})
		testenv.WantFault(t, err, fault.Invalid, "")
		if st := testenv.Must(e.App.Order(e.Ctx, testenv.Admin, ord))(t).Order.Status; st != order.Completed {
			t.Fatalf("refused voids changed the order to %s", st)
		}

		v := testenv.Must(e.App.VoidOrder(e.Ctx, testenv.Admin, ord, app.VoidParams{Reason: "confirmed fraud ring"}))(t)
		if v.Order.Status != order.Voided || v.Order.VoidReason != "confirmed fraud ring" || v.Order.VoidedAt.IsZero() || v.Dispute != nil {
			t.Fatalf("voided: %+v", v)
		}
		for _, l := range v.Lines {
			if l.PendingAction != order.Terminate {
				t.Errorf("line after void: %+v", l)
			}
		}
		if !v.NeedsManualAction() {
			t.Errorf("voided order with lines to terminate does not need action")
		}
		dd := e.Reload(d)
		if dd.Status != dispute.Closed || dd.Resolution != dispute.Voided || dd.Revision != d.Revision+1 {
			t.Errorf("the open dispute after the void: %+v", dd)
		}
		evs := e.EventTypes(store.EventFilter{OrderID: ord, Page: store.Page{Limit: 100}})
		for typ, n := range map[string]int{"order.voided": 1, "dispute.closed": 1, "line.action_required": 4} {
			if testenv.Count(evs, typ) != n {
				t.Errorf("events %v: want %d %s", evs, n, typ)
			}
		}
		if obj := testenv.EventObject[httpapi.Order](t, e.LastEvent(store.EventFilter{Type: "order.voided", OrderID: ord})); obj.Status != "voided" || obj.ID != ord {
			t.Errorf("order.voided object: %+v", obj)
		}

		// Final: nothing more happens to the order or its money.
		refusals := map[string]func() error{
			"void again": func() error {
				_, err := e.App.VoidOrder(e.Ctx, testenv.Admin, ord, app.VoidParams{Reason: "again"})
				return err
			},
			"partial refund": func() error {
				_, err := e.App.Refund(e.Ctx, testenv.Admin, ch, app.RefundParams{Money: app.Money{Amount: ptr(int64(100))}})
				return err
			},
			"full refund": func() error {
				_, err := e.App.Refund(e.Ctx, testenv.Admin, ch, app.RefundParams{})
				return err
			},
			"charge": func() error {
				_, err := e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: ord,
					Money: app.Money{Amount: ptr(int64(100)), Currency: "usd"}})
				return err
			},
			"refund transaction": func() error {
				_, err := e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "refund", ParentID: ch,
					Money: app.Money{Amount: ptr(int64(100))}})
				return err
			},
			"manual dispute": func() error {
				_, err := e.App.OpenManualDispute(e.Ctx, testenv.Admin, ord, app.ManualDisputeParams{Reason: "general", Description: "x"})
				return err
			},
			"chargeback": func() error {
				_, err := e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: ch})
				return err
			},
			"complete": func() error {
				_, err := e.App.CompleteOrder(e.Ctx, testenv.Admin, ord)
				return err
			},
			"resolve": func() error {
				_, err := e.App.ResolveDispute(e.Ctx, testenv.Admin, d.ID, nil, app.ResolveParams{Resolution: "won"})
				return err
			},
		}
		for name, try := range refusals {
			t.Run(name, func(t *testing.T) { testenv.WantFault(t, try(), fault.Conflict, fault.CodeInvalidState) })
		}
		if c := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, ch))(t); c.Transaction.AmountRefunded != 0 || c.Transaction.AmountWithdrawn != 0 {
			t.Errorf("money moved on a voided order: %+v", c.Transaction)
		}
		// Terminating the lines by hand is still possible: it settles them.
		for _, l := range v.Lines {
			if r := testenv.Must(e.App.ConfirmLine(e.Ctx, testenv.Admin, l.ID, "terminate"))(t); r.State != order.LineTerminated {
				t.Errorf("terminated: %+v", r)
			}
		}
		if o := testenv.Must(e.App.Order(e.Ctx, testenv.Admin, ord))(t); o.NeedsManualAction() || o.Order.Status != order.Voided {
			t.Errorf("order after terminating: %+v", o)
		}
	})
}

// TestVoidWithoutLines voids an order with neither lines nor a dispute: nothing waits for action
// and no dispute is closed.
func TestVoidWithoutLines(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 500})
		v := testenv.Must(e.App.VoidOrder(e.Ctx, testenv.Admin, s.Order.ID, app.VoidParams{Reason: "customer cancelled"}))(t)
		if v.NeedsManualAction() || len(v.Lines) != 0 {
			t.Errorf("voided order without lines: %+v", v)
		}
		if n := len(e.EventTypes(store.EventFilter{Type: "dispute.closed", OrderID: s.Order.ID})); n != 0 {
			t.Errorf("a void without a dispute closed %d disputes", n)
		}
	})
}
