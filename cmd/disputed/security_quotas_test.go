package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/store"
)

// unchargedSale is a completed order of amount in cur with no charge recorded; it returns the
// customer and the order.
func (s *server) unchargedSale(amount int64, cur string) (string, string) {
	s.t.Helper()
	c := s.post("/v1/customers", map[string]any{"email": "ada@example.com", "name": "Ada"})
	want(s.t, c, 201)
	o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": cur,
		"items": []any{map[string]any{"description": "IPTV 12 months", "amount": amount, "quantity": 1}}})
	want(s.t, o, 201)
	want(s.t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
	return c.str("id"), o.str("id")
}

// TestSecurityDisputeAmountCapped: a buyer opened a marketplace dispute for
// 4,611,686,018,427,387,904 USD on a 15.00 order. No path may set a dispute's amount above what
// it disputes: the charge, or the order's total when no charge is recorded.
func TestSecurityDisputeAmountCapped(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		customer, ord := s.unchargedSale(1500, "USD")
		buyer := s.as(s.newKey(actor.Buyer, customer))
		r := buyer.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "amount": int64(4611686018427387904)})
		want(t, r, 422, "invalid_amount")
		if r.str("error", "param") != "amount" {
			t.Errorf("the refusal names %q, want amount: %s", r.str("error", "param"), r.raw)
		}
		want(t, s.post("/v1/disputes", map[string]any{"type": "manual", "order_id": ord, "reason": "letter", "amount_decimal": "15.01"}), 422, "invalid_amount")
		if l := s.get("/v1/disputes?order_id=" + ord); len(l.list()) != 0 {
			t.Fatalf("a refused dispute was stored: %s", l.raw)
		}
		d := buyer.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord})
		want(t, d, 201)
		if d.num("amount") != 1500 {
			t.Errorf("a marketplace dispute without an amount is for %d, want the order's 1500", d.num("amount"))
		}
		_, _, charge := s.sale(1295, "USD")
		want(t, s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge, "amount": 1296}), 422, "invalid_amount")
	})
}

// TestSecuritySumsOverflowSafe: two disputes of 4,611,686,018,427,387,904 USD (written straight
// into the database, as an older version let them in) overflowed the dashboard's sum and every
// admin got 500 on /. Every page and list must still answer, the sum marked as over.
func TestSecuritySumsOverflowSafe(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Millisecond)
		err := s.main.store.Tx(ctx, func(tx store.Tx) error {
			for _, id := range []string{"dsp_huge1", "dsp_huge2"} {
				d := dispute.Dispute{ID: id, Type: dispute.Chargeback, Status: dispute.NeedsResponse, Stage: dispute.StageChargeback,
					Reason: "fraudulent", Amount: 1 << 62, Currency: "USD", HappenedAt: now, DueBy: now.Add(time.Hour),
					Evidence: map[string]string{}, Metadata: map[string]string{}, Revision: 1, CreatedAt: now, UpdatedAt: now}
				if err := tx.InsertDispute(ctx, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		f := s.adminForms(t, actor.Admin)
		status, body, _ := f.get("/")
		if status != 200 || !strings.Contains(body, "over 92233720368547758.07 USD") {
			t.Fatalf("the dashboard: %d, without the amount at risk marked over: %.2000s", status, body)
		}
		for _, path := range []string{"/disputes", "/disputes?sort=amount", "/disputes/dsp_huge1"} {
			if status, body, _ := f.get(path); status != 200 {
				t.Errorf("%s: %d %.300s", path, status, body)
			}
		}
		for _, path := range []string{"/v1/disputes", "/v1/disputes?status=needs_response", "/v1/disputes/dsp_huge2"} {
			want(t, s.get(path), 200)
		}
	})
}
