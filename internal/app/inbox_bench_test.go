package app_test

import (
	"fmt"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// BenchmarkInboxCharges applies b.N Stripe charge.succeeded events stored in the inbox, on
// SQLite, as the appliers do: the time per op is what one charge costs SQLite's one writer,
// without the HTTP exchange of bench/ingest. Every other charge pays an order of ours (a
// completed order with a service line), the rest name an order we never saw and a buyer by
// email, as bench/ingest's stream does. received_here applies them with the instance that
// received them and still holds them as read on arrival; received_elsewhere with another (a
// second instance, or the server after a restart), which reads each from its payload, as the
// appliers do for most of a backlog longer than the events held (parsedEventsKept).
func BenchmarkInboxCharges(b *testing.B) {
	for _, elsewhere := range []bool{false, true} {
		b.Run(map[bool]string{false: "received_here", true: "received_elsewhere"}[elsewhere], func(b *testing.B) {
			e := inboxBenchEnv(b)
			storeCharges(b, e, b.N)
			applier := e.App
			if elsewhere {
				applier = e.Instance(testenv.Options{DeferApplying: true})
			}
			b.ResetTimer()
			applyAll(b, applier, b.N)
		})
	}
}

// BenchmarkInboxDisputes applies the three events of b.N Stripe disputes (created, updated
// under review, closed won or lost, in that order per dispute), each of a charge applied before
// that pays an order of ours with a service line, with block_on_dispute on, as bench/ingest's
// stream does: a dispute opened suspends the line, blocks the buyer, emails and schedules its
// deadline. The figure is µs/event.
func BenchmarkInboxDisputes(b *testing.B) {
	e := inboxBenchEnv(b)
	on := true
	testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{BlockOnDispute: &on}))(b)
	storeCharges(b, e, 2*b.N)
	applyAll(b, e.App, 2*b.N)
	created := e.Clock.Now()
	for step, typ := range []string{"charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed"} {
		for i := range b.N {
			status := []string{"needs_response", "under_review", []string{"won", "lost"}[i%2]}[step]
			ev := testenv.StripeEvent(fmt.Sprintf("evt_bench_d%07d_%d", i, step), typ, status, fmt.Sprintf("dp_bench_%07d", i),
				chargeID(2*i), created.Add(time.Duration(step)*time.Second))
			testenv.Must(e.StoreStripe(openedAt(ev, created)))(b)
		}
	}
	b.ResetTimer()
	began := time.Now()
	applyAll(b, e.App, 3*b.N)
	b.ReportMetric(float64(time.Since(began).Microseconds())/float64(3*b.N), "µs/event")
}

// openedAt gives a dispute event the creation time and due date of a dispute opened at opened:
// every event of one dispute carries the same, as Stripe's do, so that its due date does not
// move with each event.
func openedAt(ev map[string]any, opened time.Time) map[string]any {
	d := ev["data"].(map[string]any)["object"].(map[string]any)
	d["created"] = opened.Unix()
	d["evidence_details"].(map[string]any)["due_by"] = opened.Add(9 * 24 * time.Hour).Unix()
	return ev
}

func inboxBenchEnv(b *testing.B) *testenv.Env {
	e := testenv.New(b, "sqlite", testenv.Options{DeferApplying: true})
	e.StripeProvider("", "")
	return e
}

// storeCharges stores n charge events in the inbox; the even ones pay a completed order of ours.
func storeCharges(b *testing.B, e *testenv.Env, n int) {
	for i := range n {
		orderID := fmt.Sprintf("ord_elsewhere_%d", i)
		if i%2 == 0 {
			c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: fmt.Sprintf("buyer%d@example.com", i)}))(b)
			amount := int64(1000 + i)
			o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: c.ID, Currency: "USD",
				Items: []app.ItemParams{{Description: "IPTV 12 months", Amount: &amount, Quantity: 1,
					Line: &order.LineSpec{Panel: "manual", ExternalID: fmt.Sprint("svc-", i)}}}}))(b)
			testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(b)
			orderID = o.Order.ID
		}
		testenv.Must(e.StoreStripe(chargeSucceeded(i, orderID, e.Clock.Now())))(b)
	}
}

// applyAll applies the inbox with a and checks that it applied n events.
func applyAll(b *testing.B, a *app.App, n int) {
	done, err := a.ApplyProviderEvents(b.Context())
	if err != nil || done.Applied != n || done.Failed != 0 {
		b.Fatalf("applied %d of %d events, %d failed: %v", done.Applied, n, done.Failed, err)
	}
}

func chargeID(i int) string { return fmt.Sprintf("ch_bench_%07d", i) }

// chargeSucceeded is Stripe's charge.succeeded of a card payment that names orderID in its
// metadata, of 4999 + i cents: at least the USD 49.99 a test dispute (testenv.StripeEvent) names.
func chargeSucceeded(i int, orderID string, created time.Time) map[string]any {
	amount := 4999 + i
	return map[string]any{"id": fmt.Sprintf("evt_bench_c%07d", i), "object": "event", "api_version": "2024-06-20",
		"created": created.Unix(), "livemode": false, "type": "charge.succeeded",
		"data": map[string]any{"object": map[string]any{
			"id": chargeID(i), "object": "charge", "amount": amount, "amount_captured": amount,
			"amount_refunded": 0, "currency": "usd", "captured": true, "paid": true, "status": "succeeded",
			"created": created.Unix(), "livemode": false, "customer": fmt.Sprintf("cus_bench_%07d", i/3),
			"payment_intent": fmt.Sprintf("pi_bench_%07d", i), "receipt_email": fmt.Sprintf("buyer%d@example.com", i/3*2),
			"billing_details": map[string]any{"email": fmt.Sprintf("buyer%d@example.com", i/3*2)},
			"metadata":        map[string]any{"order_id": orderID},
			"payment_method_details": map[string]any{"type": "card", "card": map[string]any{"brand": "visa", "last4": "4242",
				"fingerprint": fmt.Sprintf("fp%05d", i/3), "network": "visa"}},
		}},
	}
}
