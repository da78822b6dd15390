package main

import (
	"fmt"
	"testing"
)

// statusChanges are the order's order_status_changed entries, as "from→to".
func (s *server) statusChanges(ord string) []string {
	s.t.Helper()
	tl := s.get("/v1/orders/" + ord + "/timeline")
	want(s.t, tl, 200)
	var out []string
	for _, e := range tl.list() {
		if e["action"] == "order_status_changed" {
			out = append(out, fmt.Sprintf("%v→%v", e["from"], e["to"]))
		}
	}
	return out
}

// TestOrderStatusFollowsMoney: an order's status is what its money says, whichever way the money
// moved; a marketplace resolution moves it only through the refund it records.
func TestOrderStatusFollowsMoney(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		t.Run("partial_refund_of_the_whole_charge", func(t *testing.T) {
			s := s.on(t)
			id, ord, charge := s.marketplaceDispute(2500, true)
			r := s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "partial_refund", "refund_amount": 2500})
			want(t, r, 200)
			if o := s.get("/v1/orders/" + ord); o.str("status") != "refunded" {
				t.Errorf("order after a partial_refund of everything: %s", o.str("status"))
			}
			ch := s.get("/v1/transactions/" + charge)
			if ch.num("amount_refunded") != 2500 || len(ch.objs("refunds")) != 1 {
				t.Errorf("charge: %s", ch.raw)
			}
			if got := s.statusChanges(ord); len(got) != 1 || got[0] != "completed→refunded" {
				t.Errorf("order status changes %v, want one completed→refunded", got)
			}
			var money []string // the dispute's entries about its outcome and its money
			for _, e := range s.get("/v1/disputes/" + id + "/timeline").list() {
				if a := fmt.Sprint(e["action"]); a == "resolved" || a == "refund_created" || a == "funds_withdrawn" {
					money = append(money, a)
				}
			}
			if fmt.Sprint(money) != "[resolved refund_created]" {
				t.Errorf("dispute timeline: %v", money)
			}
		})
		t.Run("favor_vendor_after_a_refund", func(t *testing.T) {
			s := s.on(t)
			id, ord, charge := s.marketplaceDispute(2500, true)
			want(t, s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 1000}), 201)
			want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "favor_vendor"}), 200)
			if o := s.get("/v1/orders/" + ord); o.str("status") != "partially_refunded" {
				t.Errorf("order after favor_vendor, 1000 of 2500 refunded before: %s", o.str("status"))
			}
			if got := s.statusChanges(ord); len(got) != 1 || got[0] != "completed→partially_refunded" {
				t.Errorf("order status changes %v", got)
			}
		})
		t.Run("full_refund_of_two_charges", func(t *testing.T) {
			s := s.on(t)
			// An order whose charges were recorded after its dispute opened: the dispute names
			// none of them, its money comes from both.
			c := s.post("/v1/customers", map[string]any{"email": "two@example.com"})
			want(t, c, 201)
			o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": "USD",
				"items": []any{map[string]any{"description": "plan", "amount": 3200}}})
			want(t, o, 201)
			ord := o.str("id")
			want(t, s.post("/v1/orders/"+ord+"/complete", nil), 200)
			d := s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "initiated_by": "buyer", "description": "never arrived"})
			want(t, d, 201)
			charge := func(amount int64) string {
				ch := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": amount, "currency": "USD", "order_id": ord})
				want(t, ch, 201)
				return ch.str("id")
			}
			first, second := charge(2500), charge(700)
			id := d.str("id")
			want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "pending_review"}), 200)
			want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "full_refund"}), 200)
			if a, b := s.get("/v1/transactions/"+first).num("amount_refunded"), s.get("/v1/transactions/"+second).num("amount_refunded"); a != 2500 || b != 700 {
				t.Errorf("refunded %d and %d, want 2500 and 700", a, b)
			}
			// Where the money ended, once: not completed → partially_refunded → refunded.
			if got := s.statusChanges(ord); len(got) != 1 || got[0] != "completed→refunded" {
				t.Errorf("order status changes %v, want one completed→refunded", got)
			}
		})
		t.Run("refund_of_a_pending_order", func(t *testing.T) {
			s := s.on(t)
			c := s.post("/v1/customers", map[string]any{"email": "early@example.com"})
			want(t, c, 201)
			o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": "USD", "items": []any{map[string]any{"description": "plan", "amount": 800}}})
			want(t, o, 201)
			ord := o.str("id")
			ch := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 800, "currency": "USD", "order_id": ord})
			want(t, ch, 201)
			want(t, s.post("/v1/transactions/"+ch.str("id")+"/refund", map[string]any{}), 201)
			if st := s.get("/v1/orders/" + ord).str("status"); st != "pending" {
				t.Errorf("a refunded pending order: %s", st)
			}
			done := s.post("/v1/orders/"+ord+"/complete", nil)
			want(t, done, 200)
			if done.str("status") != "refunded" {
				t.Errorf("an order completed after its charge was refunded: %s", done.str("status"))
			}
		})
	})
}
