package app_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/order"
	"disputed/internal/outbound"
	"disputed/internal/panel/paneltest"
	"disputed/internal/store"
	"disputed/internal/testenv"
	"disputed/internal/webhook"
	"disputed/internal/webhook/webhooktest"
)

// orderEvents are the events of type typ about an order, oldest first.
func orderEvents(e *testenv.Env, orderID, typ string) []store.Event {
	e.T.Helper()
	evsPage, err := e.App.Events(e.Ctx, testenv.Admin, store.EventFilter{OrderID: orderID, Type: typ, Page: store.Page{Limit: 100}})
	evs := evsPage.Rows
	if err != nil {
		e.T.Fatalf("events: %v", err)
	}
	for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
		evs[i], evs[j] = evs[j], evs[i]
	}
	return evs
}

// wantOrderAsShown checks that ev carries the order as GET /v1/orders/{id} shows it now.
func wantOrderAsShown(t *testing.T, e *testenv.Env, ev store.Event, orderID string) httpapi.Order {
	t.Helper()
	shown, err := httpapi.Presenter{Now: e.Clock.Now}.Event(orderOf(e, orderID))
	if err != nil {
		t.Fatal(err)
	}
	var want httpapi.Order
	if err := json.Unmarshal(shown, &want); err != nil {
		t.Fatal(err)
	}
	got := testenv.EventObject[httpapi.Order](t, ev)
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("%s carries the order not as the API shows it (-shown +carried):\n%s", ev.Type, d)
	}
	return got
}

// orderUpdate runs step and checks that it emitted exactly one order.updated about the order,
// carrying the order as it is after the step, which it returns.
func orderUpdate(t *testing.T, e *testenv.Env, orderID, what string, step func()) httpapi.Order {
	t.Helper()
	before := len(orderEvents(e, orderID, "order.updated"))
	step()
	evs := orderEvents(e, orderID, "order.updated")
	if len(evs) != before+1 {
		t.Fatalf("%s: %d order.updated, want 1", what, len(evs)-before)
	}
	return wantOrderAsShown(t, e, evs[len(evs)-1], orderID)
}

// noOrderUpdate runs step and checks that it emitted no order.updated about the order.
func noOrderUpdate(t *testing.T, e *testenv.Env, orderID, what string, step func()) {
	t.Helper()
	before := len(orderEvents(e, orderID, "order.updated"))
	step()
	if n := len(orderEvents(e, orderID, "order.updated")) - before; n != 0 {
		t.Fatalf("%s: %d order.updated, want none: the order shows nothing new", what, n)
	}
}

// TestOrderCreatedCarriesTheOrder: creating an order emits order.created, once, with the order
// as the API shows it, and no order.updated.
func TestOrderCreatedCarriesTheOrder(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "created@example.com"}))(t)
		o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, Currency: "EUR", Metadata: map[string]string{"shop": "7"},
			Items: []app.ItemParams{
				{Description: "IPTV", Amount: ptr(int64(1200)), Quantity: 1, Line: &order.LineSpec{Panel: "manual", ExternalID: "u-1"}},
				{Description: "Setup", Amount: ptr(int64(300)), Quantity: 1},
			}}))(t)
		if got := e.EventTypes(store.EventFilter{OrderID: o.Order.ID, Page: store.Page{Limit: 100}}); len(got) != 1 || got[0] != "order.created" {
			t.Fatalf("events of a new order: %v, want [order.created]", got)
		}
		created := wantOrderAsShown(t, e, orderEvents(e, o.Order.ID, "order.created")[0], o.Order.ID)
		if created.Status != "pending" || len(created.Items) != 2 || len(created.Lines) != 1 || created.Amount != 1500 {
			t.Fatalf("order.created carries %+v", created)
		}
	})
}

// TestOrderUpdatedOncePerChange follows orders through the changes they show (completion,
// dispute, a line's action, refunds, void) and checks each use case emits one order.updated (not
// one per line) with the order after it, and a change the order does not show emits none.
func TestOrderUpdatedOncePerChange(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		// twoLineSale creates, completes and charges the order.
		done, _ := twoLineSale(t, e, 1000)
		id := done.Order.ID
		if n := len(orderEvents(e, id, "order.created")); n != 1 {
			t.Fatalf("%d order.created", n)
		}
		completed := orderEvents(e, id, "order.updated")
		if len(completed) != 1 {
			t.Fatalf("completing the order: %d order.updated, want 1 for the order and its two lines", len(completed))
		}
		if o := testenv.EventObject[httpapi.Order](t, completed[0]); o.Status != "completed" || o.Lines[0].State != "active" || o.Lines[1].State != "active" {
			t.Fatalf("order.updated of the completion carries %+v", o)
		}
		noOrderUpdate(t, e, id, "an authorization (the order shows no payments)", func() {
			testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "authorization", OrderID: id,
				Money: app.Money{Amount: ptr(int64(50)), Currency: "USD"}}))(t)
		})

		var caseID string
		o := orderUpdate(t, e, id, "a dispute opened", func() { caseID = openCase(t, e, testenv.Sale{Order: done.Order}) })
		if o.DisputeID == nil || *o.DisputeID != caseID || !o.NeedsManualAction || len(o.PendingActions) != 2 {
			t.Fatalf("after the dispute opened: %+v", o)
		}
		o = orderUpdate(t, e, id, "one line's suspension confirmed", func() {
			testenv.Must(e.App.ConfirmLine(e.Ctx, testenv.Admin, done.Lines[0].ID, "suspend"))(t)
		})
		if o.Lines[0].State != "suspended" || o.Lines[1].State != "active" || len(o.PendingActions) != 1 {
			t.Fatalf("after one suspension: %+v", o)
		}
		o = orderUpdate(t, e, id, "the dispute lost", func() { testenv.Must(resolve(e, caseID, "lost"))(t) })
		if o.DisputeID != nil || o.Status != "refunded" {
			t.Fatalf("after the dispute was lost: %+v", o)
		}

		// Refunds show on the order through its status.
		paid := e.ManualSale("u-3")
		o = orderUpdate(t, e, paid.Order.ID, "a partial refund", func() { testenv.Must(0, refund(e, paid.Charge.ID, 300))(t) })
		if o.Status != "partially_refunded" {
			t.Fatalf("after a partial refund: %s", o.Status)
		}
		noOrderUpdate(t, e, paid.Order.ID, "a second partial refund", func() { testenv.Must(0, refund(e, paid.Charge.ID, 200))(t) })
		o = orderUpdate(t, e, paid.Order.ID, "the rest refunded", func() {
			testenv.Must(e.App.Refund(e.Ctx, testenv.Admin, paid.Charge.ID, app.RefundParams{}))(t)
		})
		if o.Status != "refunded" {
			t.Fatalf("after the whole charge was refunded: %s", o.Status)
		}

		// Voiding: order.voided as before, and one order.updated.
		other := e.ManualSale("u-2")
		o = orderUpdate(t, e, other.Order.ID, "the order voided", func() {
			testenv.Must(e.App.VoidOrder(e.Ctx, testenv.Admin, other.Order.ID, app.VoidParams{Reason: "fraud"}))(t)
		})
		if o.Status != "voided" || o.Lines[0].PendingAction == nil || *o.Lines[0].PendingAction != "terminate" {
			t.Fatalf("after the void: %+v", o)
		}
		if n := len(orderEvents(e, other.Order.ID, "order.voided")); n != 1 {
			t.Fatalf("%d order.voided", n)
		}
	})
}

// TestOrderUpdatedWhenAPanelDidTheAction: a line action a panel carries out (a job, not a use
// case) changes the order too.
func TestOrderUpdatedWhenAPanelDidTheAction(t *testing.T) {
	t.Parallel()
	eachWithPanel(t, nil, func(t *testing.T, e *testenv.Env, p *paneltest.Panel) {
		s := panelSale(e, "u-7")
		o := orderUpdate(t, e, s.Order.ID, "a dispute opened", func() { openCase(t, e, s) })
		if o.Lines[0].PendingAction == nil || *o.Lines[0].PendingAction != "suspend" || o.NeedsManualAction {
			t.Fatalf("after the dispute opened: %+v", o.Lines[0])
		}
		o = orderUpdate(t, e, s.Order.ID, "the panel suspended the line", func() { e.RunJobs() })
		if o.Lines[0].State != "suspended" || o.Lines[0].PendingAction != nil {
			t.Fatalf("after the panel's answer: %+v", o.Lines[0])
		}
	})
}

// TestOrderUpdatedIsDelivered: an endpoint subscribed to order.updated gets it, signed, with the
// order, and not the order.created it did not ask for.
func TestOrderUpdatedIsDelivered(t *testing.T) {
	t.Parallel()
	client := outbound.NewClient(outbound.AllowInternal)
	t.Cleanup(client.CloseIdleConnections)
	testenv.EachWith(t, testenv.Options{Outbound: client}, func(t *testing.T, e *testenv.Env) {
		r := webhooktest.Start(t)
		url, events := r.URL+"/hook", []string{"order.updated"}
		ep := testenv.Must(e.Webhooks.CreateEndpoint(e.Ctx, testenv.Admin, webhook.EndpointParams{URL: &url, Events: &events}))(t)
		r.Setup(ep.Secret, 0)
		c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "hooked@example.com"}))(t)
		o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, Currency: "USD",
			Items: []app.ItemParams{{Description: "IPTV", Amount: ptr(int64(900)), Quantity: 1}}}))(t)
		testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t)
		e.RunJobs()
		got := r.Deliveries()
		if len(got) != 1 || got[0].Type != "order.updated" || got[0].ValidSigs != 1 {
			t.Fatalf("deliveries: %+v", got)
		}
		var body struct {
			Type string
			Data struct{ Object httpapi.Order }
		}
		if err := json.Unmarshal(got[0].Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Data.Object.ID != o.Order.ID || body.Data.Object.Status != "completed" {
			t.Fatalf("delivered %s", got[0].Body)
		}
	})
}
