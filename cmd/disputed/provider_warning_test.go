package main

import (
	"strings"
	"testing"
	"time"
)

// TestStripeWarningsWithoutAnAmountAreAccepted: an early fraud warning names its charge but no
// amount. Arriving after the charge's chargeback (webhooks come in any order), it opens an
// alert, unmatched, for the charge's amount; about a charge not recorded yet, it is kept without
// a dispute, and the next event about the warning opens it once the charge is recorded. Before,
// both were refused with 422 for ever, and Stripe would have retried them for days.
func TestStripeWarningsWithoutAnAmountAreAccepted(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s := startServerOn(t, db)
		streamProviders(s)
		st := newStream(time.Now())

		c := s.streamSale()
		cb := s.deliver(st.stripeDispute("charge.dispute.created", "needs_response", "dp_first", c))
		want(t, cb, 200)
		late := s.deliver(st.stripeWarning("radar.early_fraud_warning.created", "issfr_late", c))
		want(t, late, 200)
		a := s.get("/v1/disputes/" + late.str("dispute_id"))
		if a.str("type") != "alert" || a.num("amount") != 4999 || a.str("currency") != "USD" || a.get("transaction_id") != nil ||
			!strings.Contains(late.str("outcome"), "unmatched") {
			t.Fatalf("a warning after the chargeback: %s\nalert: %s", late.raw, a.raw)
		}
		if o := s.get("/v1/disputes/" + cb.str("dispute_id")); o.str("status") != "needs_response" {
			t.Fatalf("the chargeback after the late warning: %s", o.raw)
		}

		disputes := len(s.get("/v1/disputes?limit=100").list())
		unknown := streamCharge{ref: "ch_recorded_later", amount: 4999}
		early := s.deliver(st.stripeWarning("radar.early_fraud_warning.created", "issfr_early", unknown))
		want(t, early, 200)
		if early.get("dispute_id") != nil || !strings.HasPrefix(early.str("outcome"), "kept, not applied") {
			t.Fatalf("a warning about a charge not recorded: %s", early.raw)
		}
		if n := len(s.get("/v1/disputes?limit=100").list()); n != disputes {
			t.Fatalf("%d disputes after the warning about an unknown charge, want %d", n, disputes)
		}

		cus := s.post("/v1/customers", map[string]any{"email": "later@example.com"})
		o := s.post("/v1/orders", map[string]any{"customer_id": cus.str("id"), "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": 4999}}})
		want(t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
		ch := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 4999, "currency": "USD", "order_id": o.str("id"),
			"provider": "stripe", "provider_reference": unknown.ref})
		want(t, ch, 201)
		next := s.deliver(st.stripeWarning("radar.early_fraud_warning.updated", "issfr_early", unknown))
		want(t, next, 200)
		w := s.get("/v1/disputes/" + next.str("dispute_id"))
		if w.str("type") != "alert" || w.str("transaction_id") != ch.str("id") || w.num("amount") != 4999 || w.str("provider_dispute_id") != "issfr_early" {
			t.Fatalf("the warning once its charge is recorded: %s\n%s", next.raw, w.raw)
		}
	})
}
