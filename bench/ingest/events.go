package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"disputed/bench/internal/benchdb"
	"disputed/internal/hmacsig"
	"disputed/internal/id"
	"disputed/internal/order"
	"disputed/internal/store"
)

// The providers the server is configured with, and their webhook secrets.
const (
	stripeName   = "stripe"
	stripeSecret = "whsec_bench_stripe_0123456789"
	feedName     = "feed"
	feedSecret   = "bench-generic-feed-secret"
)

// eventsPerCase is what each dispute receives, in order: opened, evidence under review, decided.
const eventsPerCase = 3

// webhook is one provider event ready to send.
type webhook struct {
	path   string
	header string // the signature header's name
	secret string
	body   []byte
}

// signed returns the signature header's value for sending now.
func (w webhook) signed(now time.Time) string { return hmacsig.Sign(w.secret, now, w.body) }

// chargeRef is the provider's reference of case k's charge, as the seed records it.
func chargeRef(k int) string {
	if k%2 == 0 {
		return fmt.Sprintf("ch_bench_%08d", k)
	}
	return fmt.Sprintf("gen_bench_%08d", k)
}

// seed writes the orders the cases dispute: for each, a customer, a completed order with a
// service line on the manual panel, and its charge with the provider's reference, so that every
// case matches its charge and opening it suspends the line, blocks, emails and schedules.
func seed(ctx context.Context, db *benchdb.DB, cases int) error {
	raw, err := db.Open(ctx)
	if err != nil {
		return err
	}
	defer raw.Close()
	l, err := benchdb.NewLoader(ctx, raw, db.Store)
	if err != nil {
		return err
	}
	rows := l.Rows()
	at := time.Now().Add(-30 * 24 * time.Hour)
	ids := id.NewGenerator(func() time.Time { return at })
	for k := range cases {
		c := store.Customer{ID: ids.New("cus"), Email: fmt.Sprintf("buyer%d@example.com", k), CreatedAt: at, UpdatedAt: at}
		o, lines, err := order.New(order.NewParams{ID: ids.New("ord"), CustomerID: c.ID, Currency: "USD", Now: at,
			Items:  []order.Item{{Description: "IPTV 12 months", Amount: 4999, Line: &order.LineSpec{Panel: "manual", ExternalID: fmt.Sprintf("svc-%d", k)}}},
			LineID: func() string { return ids.New("line") }})
		if err != nil {
			return err
		}
		if err := o.Complete(lines, order.Payments{}, at); err != nil {
			return err
		}
		provider := stripeName
		if k%2 == 1 {
			provider = feedName
		}
		ch := order.Transaction{ID: ids.New("txn"), Kind: order.Charge, Amount: o.Total, Currency: o.Currency, OrderID: o.ID,
			CustomerID: c.ID, Provider: provider, ProviderReference: chargeRef(k), CreatedAt: at}
		if err := rows.Customer(ctx, c); err != nil {
			return err
		}
		if err := rows.Order(ctx, o, lines); err != nil {
			return err
		}
		if err := rows.Transaction(ctx, ch); err != nil {
			return err
		}
	}
	return l.Flush(ctx)
}

// caseEvents are the events of case k, which even cases get from Stripe and odd ones from the
// generic feed, created at start and a second apart; the last one decides it won or lost.
func caseEvents(k int, start time.Time) ([]webhook, error) {
	statuses := []string{"needs_response", "under_review", "won"}
	if k%4 >= 2 {
		statuses[2] = "lost"
	}
	out := make([]webhook, 0, eventsPerCase)
	for step, status := range statuses {
		created := start.Add(time.Duration(step) * time.Second)
		var w webhook
		var err error
		if k%2 == 0 {
			w, err = stripeEvent(k, step, status, created)
		} else {
			w, err = feedEvent(k, step, status, created)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// stripeEvent is a dispute event as Stripe sends it (API version 2024-06-20).
func stripeEvent(k, step int, status string, created time.Time) (webhook, error) {
	typ := []string{"charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed"}[step]
	body, err := json.Marshal(map[string]any{"id": fmt.Sprintf("evt_bench_%08d_%d", k, step), "object": "event",
		"api_version": "2024-06-20", "created": created.Unix(), "livemode": false, "type": typ, "pending_webhooks": 1,
		"request": map[string]any{"id": nil, "idempotency_key": nil},
		"data": map[string]any{"object": map[string]any{
			"id": fmt.Sprintf("dp_bench_%08d", k), "object": "dispute", "amount": 4999, "currency": "usd", "charge": chargeRef(k),
			"payment_intent": nil, "reason": "fraudulent", "status": status, "livemode": false, "created": created.Unix(),
			"is_charge_refundable": false, "metadata": map[string]any{}, "evidence": map[string]any{}, "balance_transactions": []any{},
			"evidence_details": map[string]any{"due_by": created.Add(14 * 24 * time.Hour).Unix(), "has_evidence": step > 0,
				"past_due": false, "submission_count": min(step, 1)},
			"payment_method_details": map[string]any{"type": "card", "card": map[string]any{"brand": "visa", "network_reason_code": "10.4"}},
		}}})
	return webhook{path: "/v1/providers/" + stripeName + "/webhook", header: "Stripe-Signature", secret: stripeSecret, body: body}, err
}

// feedEvent is a chargeback object of the generic feed (api.md).
func feedEvent(k, step int, status string, created time.Time) (webhook, error) {
	body, err := json.Marshal(map[string]any{"id": fmt.Sprintf("gen-bench-%08d-%d", k, step), "type": "chargeback",
		"status": status, "amount": "49.99", "currency": "USD", "reason": "fraudulent", "network_reason_code": "4837",
		"arn": fmt.Sprintf("85%021d", k), "case_number": fmt.Sprintf("C-bench-%08d", k), "transaction_reference": chargeRef(k),
		"happened_at": created.UTC().Format(time.RFC3339), "due_by": created.Add(14 * 24 * time.Hour).UTC().Format(time.RFC3339)})
	return webhook{path: "/v1/providers/" + feedName + "/webhook", header: "X-Signature", secret: feedSecret, body: body}, err
}
