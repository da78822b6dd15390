package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"disputed/internal/actor"
)

// TestSecurityNoticeOnlyByCode follows a link that puts its own words in ?done=, as a phisher
// would send it to an admin: the page shows no notice, so the site never says what it did not
// say. A real action's redirect carries a code, and the page shows the sentence for it.
func TestSecurityNoticeOnlyByCode(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		pw := s.user("admin@example.com", actor.Admin, "")
		fs := s.formSignIn(t, "admin@example.com", pw)
		forged := "Your account is suspended. Call +1 555 0100 to restore it."
		status, body, _ := fs.get("/?done=" + url.QueryEscape(forged))
		if status != http.StatusOK || strings.Contains(body, "Call +1 555 0100") || strings.Contains(body, `class="notice"`) {
			t.Fatalf("a forged notice is shown (%d):\n%s", status, body)
		}

		_, ord, _ := s.twoLineSale(1500)
		status, _, loc := fs.post("/orders/"+ord+"/dispute", fs.with(url.Values{"reason": {"product_not_received"}, "confirm": {"yes"}}))
		if status != http.StatusSeeOther || !strings.Contains(loc, "done=dispute_opened") {
			t.Fatalf("opening a dispute: %d to %q", status, loc)
		}
		_, body, _ = fs.get(loc)
		if !strings.Contains(body, "Dispute opened.") {
			t.Fatalf("the real notice is not shown after the action:\n%s", body)
		}
	})
}

// twoLineSale is a completed, charged order with two service lines.
func (s *testServer) twoLineSale(amount int64) (cus, ord, charge string) {
	s.t.Helper()
	s.panel(map[string]any{"name": "vpnpanel", "type": "manual"})
	c := s.post("/v1/customers", map[string]any{"email": "lines@example.com"})
	want(s.t, c, 201)
	o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": "USD", "items": []any{
		map[string]any{"description": "IPTV", "amount": amount - 100, "line": map[string]any{"panel": "manual", "external_id": "u-1"}},
		map[string]any{"description": "VPN", "amount": 100, "line": map[string]any{"panel": "vpnpanel", "external_id": "v-9"}},
	}})
	want(s.t, o, 201)
	for _, l := range o.lines() {
		if l["state"] != "pending" {
			s.t.Fatalf("a new order's line is %v", l["state"])
		}
	}
	done := s.post("/v1/orders/"+o.str("id")+"/complete", nil)
	want(s.t, done, 200)
	for _, l := range done.lines() {
		if l["state"] != "active" || l["pending_action"] != nil {
			s.t.Fatalf("a completed order's line: %v", l)
		}
	}
	ch := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": amount, "currency": "usd", "order_id": o.str("id")})
	want(s.t, ch, 201)
	return c.str("id"), o.str("id"), ch.str("id")
}
