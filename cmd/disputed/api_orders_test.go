package main

import (
	"fmt"
	"testing"

	"disputed/internal/actor"
)

// twoLineSale is a completed, charged order with two service lines.
func (s *server) twoLineSale(amount int64) (cus, ord, charge string) {
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

// TestOrderLifecycle creates, completes and reads an order.
func TestOrderLifecycle(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		c := s.post("/v1/customers", map[string]any{"email": "Ada@Example.com", "name": "Ada", "external_id": "crm-1"})
		want(t, c, 201)
		if c.str("object") != "customer" || c.str("id")[:4] != "cus_" || c.str("created_at") == "" {
			t.Errorf("customer: %s", c.raw)
		}
		want(t, s.get("/v1/customers/"+c.str("id")), 200)
		want(t, s.get("/v1/customers/cus_nope"), 404, "not_found")
		want(t, s.post("/v1/customers", map[string]any{"email": "not-an-email"}), 422)

		o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "vendor_id": "ven_7", "currency": "eur",
			"items": []any{map[string]any{"description": "box", "amount_decimal": "19.99", "quantity": 2}}, "metadata": map[string]string{"cart": "9"}})
		want(t, o, 201)
		if o.str("status") != "pending" || o.str("currency") != "EUR" || o.num("amount") != 3998 || o.str("amount_decimal") != "39.98" ||
			o.str("vendor_id") != "ven_7" || o.str("id")[:4] != "ord_" || o.get("needs_manual_action") != false {
			t.Errorf("order: %s", o.raw)
		}
		id := o.str("id")
		want(t, s.post("/v1/orders", map[string]any{"customer_id": "cus_nope", "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": 1}}}), 422)
		want(t, s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": "USD", "items": []any{}}), 422)
		done := s.post("/v1/orders/"+id+"/complete", nil)
		want(t, done, 200)
		if done.str("status") != "completed" || done.str("completed_at") == "" {
			t.Errorf("completed: %s", done.raw)
		}
		want(t, s.post("/v1/orders/"+id+"/complete", nil), 409, "invalid_state")
		want(t, s.post("/v1/orders/ord_nope/complete", nil), 404, "not_found")
		tl := s.get("/v1/orders/" + id + "/timeline").list()
		if len(tl) != 2 || tl[0]["action"] != "order_created" || tl[1]["action"] != "order_completed" {
			t.Errorf("order timeline: %v", tl)
		}
	})
}

// TestManualDispute opens an admin's dispute on an order with lines: the lines wait for a
// suspension by hand, the admin confirms it, and a win asks for them to be enabled again.
func TestManualDispute(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		cus, ord, charge := s.twoLineSale(3000)
		p := s.post("/v1/orders", map[string]any{"customer_id": cus, "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": 5}}})
		want(t, s.post("/v1/orders/"+p.str("id")+"/dispute", map[string]any{"reason": "general", "description": "paypal case"}), 409, "invalid_state")
		want(t, s.post("/v1/orders/"+ord+"/dispute", map[string]any{}), 422, "parameter_missing")
		want(t, s.post("/v1/orders/ord_nope/dispute", map[string]any{"reason": "general", "description": "x"}), 404)
		buyer := s.as(s.newKey(actor.Buyer, cus))
		want(t, buyer.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "x"}), 403)

		d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "PayPal case", "external_reference": "PP-D-77",
			"evidence_due_by": "2031-01-01T00:00:00Z"})
		want(t, d, 201)
		id := d.str("id")
		if d.str("type") != "manual" || d.str("status") != "needs_response" || d.num("amount") != 3000 || d.str("external_reference") != "PP-D-77" ||
			d.str("customer_id") != cus || d.get("due_by") == nil {
			t.Fatalf("manual dispute: %s", d.raw)
		}
		want(t, s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "again"}), 409, "dispute_exists")
		if pay := s.get("/v1/transactions/" + charge); pay.str("active_dispute_id") != id || pay.str("active_dispute_status") != "needs_response" {
			t.Errorf("the payment does not show its active dispute: %s", pay.raw)
		}

		o := s.get("/v1/orders/" + ord)
		if o.str("dispute_id") != id || o.str("dispute_status") != "needs_response" || o.get("needs_manual_action") != true || o.str("status") != "completed" {
			t.Fatalf("order under dispute: %s", o.raw)
		}
		ls := o.lines()
		for _, l := range ls {
			if l["state"] != "active" || l["pending_action"] != "suspend" || l["manual"] != true || l["pending_reason"] == nil {
				t.Errorf("line while disputed: %v", l)
			}
		}
		if pending := o.objs("pending_actions"); len(pending) != 2 || pending[0]["action"] != "suspend" || pending[0]["line_id"] != ls[0]["id"] {
			t.Errorf("pending actions: %v", pending)
		}
		if n := len(s.get("/v1/events?type=line.action_required&order_id=" + ord).list()); n != 2 {
			t.Errorf("%d line.action_required events, want 2", n)
		}
		if obj := s.lastEvent("line.action_required", "order_id="+ord); obj["pending_action"] != "suspend" || obj["object"] != "line" {
			t.Errorf("line.action_required object: %v", obj)
		}

		// The admin suspended both lines by hand.
		want(t, s.post("/v1/lines/"+fmt.Sprint(ls[0]["id"])+"/confirm", map[string]any{"action": "enable"}), 422, "action_mismatch")
		want(t, s.post("/v1/lines/"+fmt.Sprint(ls[0]["id"])+"/confirm", map[string]any{"action": "reboot"}), 422)
		agent := s.as(s.newKey(actor.Agent, ""))
		for i, l := range ls {
			c := s
			if i == 1 {
				c = agent
			}
			r := c.post("/v1/lines/"+fmt.Sprint(l["id"])+"/confirm", map[string]any{"action": "suspend"})
			want(t, r, 200)
			if r.str("state") != "suspended" || r.get("pending_action") != nil {
				t.Errorf("confirmed: %s", r.raw)
			}
			if i == 0 && s.get("/v1/orders/"+ord).get("needs_manual_action") != true {
				t.Errorf("the order stopped needing action with one line still pending")
			}
		}
		want(t, s.post("/v1/lines/"+fmt.Sprint(ls[0]["id"])+"/confirm", map[string]any{"action": "suspend"}), 409, "invalid_state")
		if got := s.get("/v1/orders/" + ord); got.get("needs_manual_action") != false {
			t.Errorf("needs_manual_action after confirming every line: %s", got.raw)
		}
		if l := s.get("/v1/lines/" + fmt.Sprint(ls[0]["id"])); l.str("state") != "suspended" || l.str("order_id") != ord {
			t.Errorf("GET line: %s", l.raw)
		}
		want(t, buyer.post("/v1/lines/"+fmt.Sprint(ls[0]["id"])+"/confirm", map[string]any{"action": "suspend"}), 403)
		if n := len(s.get("/v1/events?type=line.suspended&order_id=" + ord).list()); n != 2 {
			t.Errorf("%d line.suspended events, want 2", n)
		}

		// Won: the lines must be enabled again.
		won := s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "won", "notes": "PayPal decided for us"})
		want(t, won, 200)
		if pay := s.get("/v1/transactions/" + charge); pay.get("active_dispute_id") != nil {
			t.Errorf("the payment still shows an ended dispute: %s", pay.raw)
		}
		o = s.get("/v1/orders/" + ord)
		if o.get("dispute_id") != nil || o.get("needs_manual_action") != true || o.str("status") != "completed" {
			t.Errorf("order after a win: %s", o.raw)
		}
		for _, l := range o.lines() {
			if l["state"] != "suspended" || l["pending_action"] != "enable" {
				t.Errorf("line after a win: %v", l)
			}
			want(t, s.post("/v1/lines/"+fmt.Sprint(l["id"])+"/confirm", map[string]any{"action": "enable"}), 200)
		}
		if got := s.get("/v1/orders/" + ord); got.get("needs_manual_action") != false || got.lines()[0]["state"] != "active" {
			t.Errorf("order after enabling: %s", got.raw)
		}
		if n := len(s.get("/v1/events?type=line.enabled&order_id=" + ord).list()); n != 2 {
			t.Errorf("%d line.enabled events, want 2", n)
		}
		tl := s.get("/v1/orders/" + ord + "/timeline").list()
		seen := map[string]int{}
		for _, e := range tl {
			seen[fmt.Sprint(e["action"])]++
		}
		if seen["line_action_requested"] != 4 || seen["line_suspend_confirmed"] != 2 || seen["line_enable_confirmed"] != 2 {
			t.Errorf("order timeline actions: %v", seen)
		}
	})
}

// TestVoidOrder: void is admin-only, needs a reason, is final, terminates the lines, closes the
// open dispute, and the voided order takes no more money movements.
func TestVoidOrder(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, ord, charge := s.twoLineSale(2000)
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		want(t, d, 201)
		agent := s.as(s.newKey(actor.Agent, ""))
		want(t, agent.post("/v1/orders/"+ord+"/void", map[string]any{"reason": "fraud"}), 403, "forbidden")
		want(t, s.post("/v1/orders/"+ord+"/void", map[string]any{"reason": "   "}), 422, "parameter_missing")
		long := make([]byte, 501)
		for i := range long {
			long[i] = 'x'
		}
		want(t, s.post("/v1/orders/"+ord+"/void", map[string]any{"reason": string(long)}), 422)
		if st := s.get("/v1/orders/" + ord).str("status"); st != "completed" {
			t.Fatalf("refused voids changed the order to %s", st)
		}

		v := s.post("/v1/orders/"+ord+"/void", map[string]any{"reason": "confirmed fraud ring"})
		want(t, v, 200)
		if v.str("status") != "voided" || v.str("void_reason") != "confirmed fraud ring" || v.str("voided_at") == "" || v.get("dispute_id") != nil {
			t.Fatalf("voided: %s", v.raw)
		}
		for _, l := range v.lines() {
			if l["pending_action"] != "terminate" {
				t.Errorf("line after void: %v", l)
			}
		}
		if v.get("needs_manual_action") != true {
			t.Errorf("voided order with lines to terminate does not need action")
		}
		dd := s.get("/v1/disputes/" + d.str("id"))
		if dd.str("status") != "closed" || dd.str("resolution") != "voided" || dd.num("revision") != d.num("revision")+1 {
			t.Errorf("the open dispute after the void: %s", dd.raw)
		}
		evs := s.eventsOf("order_id=" + ord)
		for typ, n := range map[string]int{"order.voided": 1, "dispute.closed": 1, "line.action_required": 4} {
			if count(evs, typ) != n {
				t.Errorf("events %v: want %d %s", evs, n, typ)
			}
		}
		if obj := s.lastEvent("order.voided", "order_id="+ord); obj["status"] != "voided" || obj["id"] != ord {
			t.Errorf("order.voided object: %v", obj)
		}

		// Final: nothing more happens to the order or its money.
		want(t, s.post("/v1/orders/"+ord+"/void", map[string]any{"reason": "again"}), 409, "invalid_state")
		want(t, s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 100}), 409, "invalid_state")
		want(t, s.post("/v1/transactions/"+charge+"/refund", nil), 409, "invalid_state")
		want(t, s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 100, "currency": "usd", "order_id": ord}), 409, "invalid_state")
		want(t, s.post("/v1/transactions", map[string]any{"type": "refund", "amount": 100, "parent_id": charge}), 409, "invalid_state")
		want(t, s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "x"}), 409, "invalid_state")
		want(t, s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge}), 409, "invalid_state")
		want(t, s.post("/v1/orders/"+ord+"/complete", nil), 409, "invalid_state")
		want(t, s.post("/v1/disputes/"+d.str("id")+"/resolve", map[string]any{"resolution": "won"}), 409, "invalid_state")
		if ch := s.get("/v1/transactions/" + charge); ch.num("amount_refunded") != 0 || ch.num("amount_withdrawn") != 0 {
			t.Errorf("money moved on a voided order: %s", ch.raw)
		}
		// Terminating the lines by hand is still possible: it settles them.
		for _, l := range v.lines() {
			r := s.post("/v1/lines/"+fmt.Sprint(l["id"])+"/confirm", map[string]any{"action": "terminate"})
			want(t, r, 200)
			if r.str("state") != "terminated" {
				t.Errorf("terminated: %s", r.raw)
			}
		}
		if o := s.get("/v1/orders/" + ord); o.get("needs_manual_action") != false || o.str("status") != "voided" {
			t.Errorf("order after terminating: %s", o.raw)
		}
	})
}

// TestVoidWithoutLines voids an order with neither lines nor a dispute: nothing waits for action
// and no dispute is closed.
func TestVoidWithoutLines(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, ord, _ := s.sale(500, "usd")
		v := s.post("/v1/orders/"+ord+"/void", map[string]any{"reason": "customer cancelled"})
		want(t, v, 200)
		if v.get("needs_manual_action") != false || len(v.lines()) != 0 {
			t.Errorf("voided order without lines: %s", v.raw)
		}
		if n := len(s.get("/v1/events?type=dispute.closed&order_id=" + ord).list()); n != 0 {
			t.Errorf("a void without a dispute closed %d disputes", n)
		}
	})
}
