package main

import (
	"testing"
	"time"

	"disputed/internal/actor"
)

// TestMarketplaceOnce checks the marketplace's rule that an order is disputed once, ever: a
// second dispute is refused even after the first was closed, whoever asks.
func TestMarketplaceOnce(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		id, ord, _ := s.marketplaceDispute(1200, true)
		want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "favor_vendor"}), 200)
		want(t, s.post("/v1/disputes/"+id+"/close", nil), 200)
		buyer := s.as(s.newKey(actor.Buyer, s.customerOf(ord)))
		before := s.snapshot("/v1/orders/"+ord, "/v1/disputes?order_id="+ord)
		again := buyer.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "description": "once more"})
		want(t, again, 409, "dispute_exists")
		if again.str("error", "param") != "order_id" {
			t.Errorf("param: %s", again.raw)
		}
		want(t, s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "initiated_by": "vendor"}), 409, "dispute_exists")
		if after := s.snapshot("/v1/orders/"+ord, "/v1/disputes?order_id="+ord); string(before) != string(after) {
			t.Errorf("a refused second dispute changed something:\n%s\n%s", before, after)
		}
	})
}

// TestPartyCannotSetDeadline checks that a buyer or vendor opening a marketplace dispute cannot
// choose its due date (a buyer once gave the vendor 5 seconds instead of 48 hours), while staff
// can.
func TestPartyCannotSetDeadline(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, ord, _ := s.sale(800, "usd")
		buyer := s.as(s.newKey(actor.Buyer, s.customerOf(ord)))
		soon := time.Now().Add(5 * time.Second).UTC().Format(time.RFC3339)
		r := buyer.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "due_by": soon})
		want(t, r, 403, "forbidden")
		if r.str("error", "param") != "due_by" {
			t.Errorf("param: %s", r.raw)
		}
		if n := len(s.get("/v1/disputes?order_id=" + ord).list()); n != 0 {
			t.Fatalf("the refused dispute was opened: %d disputes", n)
		}
		d := buyer.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord})
		want(t, d, 201)
		due, err := time.Parse(time.RFC3339, d.str("due_by"))
		if err != nil || time.Until(due) < 47*time.Hour {
			t.Errorf("a buyer's dispute is due %q, want the 48 h window", d.str("due_by"))
		}
		// Staff may move it; the party still may not (updates are staff's).
		later := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second)
		want(t, buyer.post("/v1/disputes/"+d.str("id"), map[string]any{"revision": d.num("revision"), "due_by": soon}), 403)
		moved := s.post("/v1/disputes/"+d.str("id"), map[string]any{"revision": d.num("revision"), "due_by": later.Format(time.RFC3339)})
		want(t, moved, 200)
		if got, _ := time.Parse(time.RFC3339, moved.str("due_by")); !got.Equal(later) {
			t.Errorf("staff moved the due date to %q, want %s", moved.str("due_by"), later)
		}
	})
}
