package main

import (
	"net/url"
	"slices"
	"testing"
)

// sameSet fails unless the list's ids are exactly wantIDs, in any order.
func sameSet(t testing.TB, what string, r response, wantIDs ...string) {
	t.Helper()
	if r.status != 200 {
		t.Errorf("%s: status %d: %s", what, r.status, r.raw)
		return
	}
	got := r.ids()
	slices.Sort(got)
	w := slices.Clone(wantIDs)
	slices.Sort(w)
	if !slices.Equal(got, w) {
		t.Errorf("%s: got %v, want %v", what, got, w)
	}
}

// TestDisputeFilters checks each filter of GET /v1/disputes against a mixed set of disputes.
func TestDisputeFilters(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		cusA, ordA, chA := s.sale(1000, "usd")
		a := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": chA, "reason": "fraudulent",
			"case_number": "CASE-777", "due_by": "2030-01-10T00:00:00Z", "tags": []string{"vip"}})
		want(t, a, 201)
		cusB, _, chB := s.sale(2000, "usd")
		b := s.post("/v1/disputes", map[string]any{"type": "inquiry", "transaction_id": chB, "due_by": "2030-03-01T00:00:00Z",
			"tags": []string{"vip", "slow"}})
		want(t, b, 201)
		_, ordC, _ := s.sale(3000, "usd")
		c := s.post("/v1/orders/"+ordC+"/dispute", map[string]any{"reason": "general", "description": "paypal case", "external_reference": "PP-D-1234"})
		want(t, c, 201)
		want(t, s.post("/v1/disputes/"+c.str("id")+"/resolve", map[string]any{"resolution": "won"}), 200)
		d := s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "cdrn", "amount": 999, "currency": "usd",
			"arn": "74990001112223334445556"})
		want(t, d, 201)
		_, ordE, _ := s.sale(4000, "usd")
		e := s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ordE, "initiated_by": "buyer",
			"description": "the package never arrived"})
		want(t, e, 201)
		A, B, C, D, E := a.str("id"), b.str("id"), c.str("id"), d.str("id"), e.str("id")

		for _, f := range []struct {
			query string
			ids   []string
		}{
			{"", []string{A, B, C, D, E}},
			{"status=needs_response", []string{A}},
			{"status=warning_needs_response", []string{B}},
			{"status=won", []string{C}},
			{"status=open", []string{D, E}},
			{"type=chargeback", []string{A}},
			{"type=inquiry", []string{B}},
			{"type=manual", []string{C}},
			{"type=alert", []string{D}},
			{"type=marketplace", []string{E}},
			{"order_id=" + ordA, []string{A}},
			{"order_id=" + ordC, []string{C}},
			{"transaction_id=" + chB, []string{B}},
			{"charge=" + chB, []string{B}},
			{"charge=" + chA, []string{A}},
			{"customer_id=" + cusA, []string{A}},
			{"customer_id=" + cusB, []string{B}},
			{"due_before=" + url.QueryEscape("2030-02-01T00:00:00Z"), []string{A, E}}, // E: the 48-hour marketplace window
			{"due_before=" + url.QueryEscape("2030-12-01T00:00:00Z"), []string{A, B, E}},
			{"due_before=" + url.QueryEscape("2020-01-01T00:00:00Z"), nil},
			{"tag=vip", []string{A, B}},
			{"tag=slow", []string{B}},
			{"tag=none", nil},
			{"q=CASE-777", []string{A}},
			{"q=PP-D-1234", []string{C}},
			{"q=" + url.QueryEscape("never arrived"), []string{E}},
			{"q=74990001112223334445556", []string{D}},
			{"q=" + A, []string{A}},
			{"type=inquiry&tag=vip", []string{B}},
			{"status=needs_response&customer_id=" + cusB, nil},
		} {
			sameSet(t, "/v1/disputes?"+f.query, s.get("/v1/disputes?"+f.query), f.ids...)
		}
		want(t, s.get("/v1/disputes?due_before=tomorrow"), 422)
	})
}

// TestOrderFilters checks GET /v1/orders by customer, vendor and status.
func TestOrderFilters(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		cusA, ordA, chA := s.sale(1000, "usd")
		_, ordB, _ := s.sale(1000, "usd")
		pend := s.post("/v1/orders", map[string]any{"customer_id": cusA, "vendor_id": "ven_1", "currency": "USD",
			"items": []any{map[string]any{"description": "x", "amount": 5}}})
		want(t, pend, 201)
		P := pend.str("id")
		want(t, s.post("/v1/transactions/"+chA+"/refund", map[string]any{"amount": 400}), 201)
		want(t, s.post("/v1/orders/"+ordB+"/void", map[string]any{"reason": "duplicate"}), 200)

		sameSet(t, "all", s.get("/v1/orders"), ordA, ordB, P)
		sameSet(t, "customer", s.get("/v1/orders?customer_id="+cusA), ordA, P)
		sameSet(t, "vendor", s.get("/v1/orders?vendor_id=ven_1"), P)
		sameSet(t, "pending", s.get("/v1/orders?status=pending"), P)
		sameSet(t, "partially_refunded", s.get("/v1/orders?status=partially_refunded"), ordA)
		sameSet(t, "voided", s.get("/v1/orders?status=voided"), ordB)
		sameSet(t, "completed", s.get("/v1/orders?status=completed"))
		sameSet(t, "customer and status", s.get("/v1/orders?customer_id="+cusA+"&status=pending"), P)
		want(t, s.get("/v1/orders?status=lost"), 422)
	})
}

// TestEventAndBlocklistFilters checks GET /v1/events?type=, dispute_id, order_id and
// GET /v1/blocklist?kind=.
func TestEventAndBlocklistFilters(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		_, ord, ch := s.sale(1000, "usd")
		_, ord2, _ := s.sale(1000, "usd")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch})
		want(t, d, 201)
		ev := s.get("/v1/events?type=dispute.created")
		if len(ev.list()) != 1 || ev.list()[0]["dispute_id"] != d.str("id") {
			t.Errorf("type=dispute.created: %s", ev.raw)
		}
		for _, e := range s.get("/v1/events?type=transaction.created").list() {
			if e["type"] != "transaction.created" {
				t.Errorf("type filter let %v through", e["type"])
			}
		}
		if n := len(s.get("/v1/events?type=transaction.created").list()); n != 2 {
			t.Errorf("%d transaction.created events, want 2", n)
		}
		for _, e := range s.get("/v1/events?order_id=" + ord2).list() {
			if e["order_id"] != ord2 {
				t.Errorf("order filter let %v through", e["order_id"])
			}
		}
		for _, e := range s.get("/v1/events?dispute_id=" + d.str("id")).list() {
			if e["dispute_id"] != d.str("id") {
				t.Errorf("dispute filter let %v through", e["dispute_id"])
			}
		}
		if n := len(s.get("/v1/events?order_id=" + ord).list()); n < 2 {
			t.Errorf("%d events of order %s, want the charge and the dispute", n, ord)
		}
		if n := len(s.get("/v1/events?type=nothing.happened").list()); n != 0 {
			t.Errorf("unknown type matched %d events", n)
		}

		em := s.post("/v1/blocklist", map[string]any{"kind": "email", "value": "bad@example.com"})
		ip := s.post("/v1/blocklist", map[string]any{"kind": "ip", "value": "203.0.113.9"})
		fp := s.post("/v1/blocklist", map[string]any{"kind": "card_fingerprint", "value": "fp_123"})
		for _, r := range []response{em, ip, fp} {
			want(t, r, 201)
		}
		sameSet(t, "kind=email", s.get("/v1/blocklist?kind=email"), em.str("id"))
		sameSet(t, "kind=ip", s.get("/v1/blocklist?kind=ip"), ip.str("id"))
		sameSet(t, "kind=card_fingerprint", s.get("/v1/blocklist?kind=card_fingerprint"), fp.str("id"))
		sameSet(t, "all", s.get("/v1/blocklist"), em.str("id"), ip.str("id"), fp.str("id"))
	})
}
