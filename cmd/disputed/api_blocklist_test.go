package main

import (
	"fmt"
	"testing"

	"disputed/internal/actor"
)

// TestBlocklist adds, lists, refuses duplicates of and deletes block-list entries.
func TestBlocklist(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		e := s.post("/v1/blocklist", map[string]any{"kind": "email", "value": "Fraud@Example.com", "reason": "chargeback ring"})
		want(t, e, 201)
		if e.str("object") != "blocklist_entry" || e.str("kind") != "email" || e.str("value") != "fraud@example.com" ||
			e.str("reason") != "chargeback ring" || e.str("created_by") == "" {
			t.Errorf("entry: %s", e.raw)
		}
		dup := s.post("/v1/blocklist", map[string]any{"kind": "email", "value": "fraud@example.com"})
		want(t, dup, 409, "already_blocked")
		want(t, s.post("/v1/blocklist", map[string]any{"kind": "email", "value": "FRAUD@example.com"}), 409, "already_blocked")
		// The same value under another kind is another entry.
		c := s.post("/v1/blocklist", map[string]any{"kind": "customer", "value": "fraud@example.com"})
		want(t, c, 201)
		ip := s.post("/v1/blocklist", map[string]any{"kind": "ip", "value": "::ffff:198.51.100.7"})
		want(t, ip, 201)
		if ip.str("value") != "198.51.100.7" {
			t.Errorf("ip entry value %q", ip.str("value"))
		}
		want(t, s.post("/v1/blocklist", map[string]any{"kind": "ip", "value": "198.51.100.7"}), 409, "already_blocked")
		want(t, s.post("/v1/blocklist", map[string]any{"kind": "ip", "value": "300.1.1.1"}), 422)
		want(t, s.post("/v1/blocklist", map[string]any{"kind": "email", "value": "not an email"}), 422)
		want(t, s.post("/v1/blocklist", map[string]any{"kind": "email", "value": ""}), 422, "parameter_missing")
		sameSet(t, "list", s.get("/v1/blocklist"), e.str("id"), c.str("id"), ip.str("id"))
		if n := len(s.get("/v1/events?type=customer.blocked").list()); n != 3 {
			t.Errorf("%d customer.blocked events, want 3", n)
		}

		agent := s.as(s.newKey(actor.Agent, ""))
		del := agent.call("DELETE", "/v1/blocklist/"+e.str("id"), nil)
		want(t, del, 200)
		if del.get("deleted") != true || del.str("id") != e.str("id") {
			t.Errorf("deleted: %s", del.raw)
		}
		want(t, s.call("DELETE", "/v1/blocklist/"+e.str("id"), nil), 404, "not_found")
		sameSet(t, "after delete", s.get("/v1/blocklist"), c.str("id"), ip.str("id"))
		// Once deleted, the value can be blocked again.
		want(t, s.post("/v1/blocklist", map[string]any{"kind": "email", "value": "fraud@example.com"}), 201)
	})
}

// TestBlockOnDispute turns the setting on: a new dispute blocks the customer's email and the
// charge's card fingerprint once, whatever the number of disputes.
func TestBlockOnDispute(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		st := s.get("/v1/settings")
		want(t, st, 200)
		if st.get("block_on_dispute") != false {
			t.Fatalf("block_on_dispute is on by default: %s", st.raw)
		}
		// Off: a dispute blocks nothing.
		_, ord, _ := s.saleWithCard(1000, "fp_off")
		want(t, s.post("/v1/disputes", map[string]any{"type": "chargeback", "order_id": ord}), 201)
		if n := len(s.get("/v1/blocklist").list()); n != 0 {
			t.Fatalf("%d entries with the setting off", n)
		}

		on := s.post("/v1/settings", map[string]any{"block_on_dispute": true, "merchant_name": "IPTV Co"})
		want(t, on, 200)
		if on.get("block_on_dispute") != true || on.str("merchant_name") != "IPTV Co" {
			t.Fatalf("settings: %s", on.raw)
		}
		if got := s.get("/v1/settings"); got.get("block_on_dispute") != true {
			t.Fatalf("settings read back: %s", got.raw)
		}
		want(t, s.post("/v1/settings", map[string]any{"block_on_dispute": "yes"}), 400, "invalid_type")

		cus, _, charge := s.saleWithCard(2000, "fp_4242")
		email := s.get("/v1/customers/" + cus).str("email")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		want(t, d, 201)
		bl := s.get("/v1/blocklist")
		got := map[string]string{}
		for _, b := range bl.list() {
			got[fmt.Sprint(b["kind"])] = fmt.Sprint(b["value"])
			if b["dispute_id"] != d.str("id") {
				t.Errorf("entry not linked to the dispute: %v", b)
			}
		}
		if len(bl.list()) != 2 || got["email"] != email || got["card_fingerprint"] != "fp_4242" {
			t.Fatalf("block list after the dispute: %s", bl.raw)
		}
		evs := s.get("/v1/events?type=customer.blocked&dispute_id=" + d.str("id")).list()
		if len(evs) != 2 {
			t.Errorf("%d customer.blocked events, want 2", len(evs))
		}
		tl := s.get("/v1/disputes/" + d.str("id") + "/timeline").list()
		blocked := 0
		for _, e := range tl {
			if e["action"] == "customer_blocked" {
				blocked++
			}
		}
		if blocked != 2 {
			t.Errorf("%d customer_blocked timeline entries, want 2", blocked)
		}

		// A second dispute of the same customer and card (another order) adds nothing.
		o2 := s.post("/v1/orders", map[string]any{"customer_id": cus, "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": 300}}})
		want(t, s.post("/v1/orders/"+o2.str("id")+"/complete", nil), 200)
		ch2 := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 300, "currency": "usd", "order_id": o2.str("id"), "card_fingerprint": "fp_4242"})
		want(t, ch2, 201)
		d2 := s.post("/v1/disputes", map[string]any{"type": "inquiry", "transaction_id": ch2.str("id")})
		want(t, d2, 201)
		if n := len(s.get("/v1/blocklist").list()); n != 2 {
			t.Errorf("%d entries after a second dispute, want 2", n)
		}
		if n := len(s.get("/v1/events?type=customer.blocked").list()); n != 2 {
			t.Errorf("%d customer.blocked events after a second dispute, want 2", n)
		}
	})
}

// saleWithCard is sale with a card fingerprint on the charge.
func (s *server) saleWithCard(amount int64, fingerprint string) (string, string, string) {
	s.t.Helper()
	c := s.post("/v1/customers", map[string]any{"email": fingerprint + "@example.com", "name": "Card Holder"})
	want(s.t, c, 201)
	o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": amount}}})
	want(s.t, o, 201)
	want(s.t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
	ch := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": amount, "currency": "usd", "order_id": o.str("id"),
		"card_fingerprint": fingerprint})
	want(s.t, ch, 201)
	return c.str("id"), o.str("id"), ch.str("id")
}
