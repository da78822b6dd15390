package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// eventsOf returns the types of the events about a dispute, oldest first.
func (s *server) eventsOf(query string) []string {
	s.t.Helper()
	r := s.get("/v1/events?limit=100&" + query)
	want(s.t, r, 200)
	var out []string
	for _, e := range r.list() {
		out = append(out, fmt.Sprint(e["type"]))
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func count(list []string, v string) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

// lastEvent returns the newest event of a type about a dispute, with its data.object decoded.
func (s *server) lastEvent(typ, query string) map[string]any {
	s.t.Helper()
	r := s.get("/v1/events?limit=1&type=" + typ + "&" + query)
	want(s.t, r, 200)
	l := r.list()
	if len(l) == 0 {
		s.t.Fatalf("no %s event for %s", typ, query)
	}
	obj, _ := l[0]["data"].(map[string]any)["object"].(map[string]any)
	if obj == nil {
		s.t.Fatalf("%s event has no data.object: %v", typ, l[0])
	}
	return obj
}

// TestChargebackConcede concedes a chargeback: it is lost for good, the funds are withdrawn from
// the charge, and later refunds can only use what the chargeback left.
func TestChargebackConcede(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, ord, charge := s.sale(1000, "usd", map[string]any{"panel": "manual", "external_id": "u-1"})
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge, "amount": 600, "reason": "fraudulent"})
		want(t, d, 201)
		id := d.str("id")
		if d.num("amount") != 600 || d.str("stage") != "chargeback" {
			t.Fatalf("new chargeback: %s", d.raw)
		}
		lost := s.post("/v1/disputes/"+id+"/close", map[string]any{"note": "not worth fighting"})
		want(t, lost, 200)
		if lost.str("status") != "lost" || lost.str("resolution") != "lost" || lost.num("revision") != d.num("revision")+1 {
			t.Fatalf("conceded: %s", lost.raw)
		}
		if len(lost.objs("actions")) != 0 {
			t.Errorf("a lost dispute offers actions: %v", lost.get("actions"))
		}
		ch := s.get("/v1/transactions/" + charge)
		if ch.num("amount_withdrawn") != 600 || ch.num("amount_refunded") != 0 {
			t.Errorf("charge after the concession: %s", ch.raw)
		}
		wd := s.lastEvent("transaction.created", "dispute_id="+id)
		if wd["type"] != "chargeback" || wd["amount"] != float64(600) || wd["parent_id"] != charge || wd["dispute_id"] != id {
			t.Errorf("withdrawal event: %v", wd)
		}
		evs := s.eventsOf("dispute_id=" + id)
		if count(evs, "dispute.closed") != 1 {
			t.Errorf("events %v: want one dispute.closed", evs)
		}
		if obj := s.lastEvent("dispute.closed", "dispute_id="+id); obj["status"] != "lost" {
			t.Errorf("dispute.closed carries status %v", obj["status"])
		}

		// The lost order's line must go.
		o := s.get("/v1/orders/" + ord)
		lines := o.lines()
		if len(lines) != 1 || lines[0]["pending_action"] != "terminate" || o.get("needs_manual_action") != true {
			t.Errorf("order after a lost dispute: %s", o.raw)
		}
		if o.get("dispute_id") != nil {
			t.Errorf("a lost dispute is still the order's open dispute: %s", o.raw)
		}

		// Refunds can use only what the chargeback left: 1000 - 600.
		want(t, s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 401}), 422, "amount_too_large")
		want(t, s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 400}), 201)
		want(t, s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 1}), 422, "amount_too_large")
		ch = s.get("/v1/transactions/" + charge)
		if ch.num("amount_refunded") != 400 || ch.num("amount_withdrawn") != 600 {
			t.Errorf("charge: %s", ch.raw)
		}

		// Lost is final: no win, no move, no second concession.
		before := s.get("/v1/disputes/" + id)
		won := s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "won"})
		want(t, won, 409, "invalid_state")
		if !strings.Contains(won.str("error", "message"), "lost") {
			t.Errorf("invalid_state does not name the status: %s", won.raw)
		}
		want(t, s.post("/v1/disputes/"+id+"/close", nil), 409, "invalid_state")
		want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "under_review"}), 409, "invalid_state")
		if after := s.get("/v1/disputes/" + id); string(after.raw) != string(before.raw) {
			t.Errorf("refused changes changed the dispute:\n%s\n%s", before.raw, after.raw)
		}
		if s.get("/v1/transactions/"+charge).num("amount_withdrawn") != 600 {
			t.Errorf("a refused win moved money")
		}
	})
}

// TestChargebackResolveLost resolves a submitted chargeback as lost: the funds are withdrawn
// and it cannot be won afterwards.
func TestChargebackResolveLost(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, _, charge := s.sale(1500, "eur")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		want(t, d, 201)
		id := d.str("id")
		want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"), "evidence": map[string]any{"uncategorized_text": "x"}, "submit": true}), 200)
		lost := s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "lost", "notes": "issuer sided with the cardholder"})
		want(t, lost, 200)
		if lost.str("status") != "lost" || lost.str("resolution_notes") != "issuer sided with the cardholder" {
			t.Errorf("lost: %s", lost.raw)
		}
		if got := s.get("/v1/transactions/" + charge).num("amount_withdrawn"); got != 1500 {
			t.Errorf("amount_withdrawn %d, want 1500", got)
		}
		if n := count(s.eventsOf("dispute_id="+id), "dispute.resolved"); n != 1 {
			t.Errorf("%d dispute.resolved events", n)
		}
		want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "won"}), 409, "invalid_state")
	})
}

// TestInquiryEscalation escalates an inquiry into a chargeback with POST /status.
func TestInquiryEscalation(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, _, charge := s.sale(1000, "usd")
		d := s.post("/v1/disputes", map[string]any{"type": "inquiry", "transaction_id": charge})
		want(t, d, 201)
		id := d.str("id")
		if d.str("status") != "warning_needs_response" || d.str("stage") != "inquiry" || d.str("type") != "inquiry" {
			t.Fatalf("new inquiry: %s", d.raw)
		}
		want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "lost"}), 422)
		esc := s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "needs_response", "note": "issuer escalated"})
		want(t, esc, 200)
		if esc.str("type") != "chargeback" || esc.str("stage") != "chargeback" || esc.str("status") != "needs_response" ||
			esc.num("revision") != d.num("revision")+1 {
			t.Fatalf("escalated: %s", esc.raw)
		}
		if s.get("/v1/disputes?type=chargeback").ids()[0] != id {
			t.Errorf("the escalated dispute is not listed as a chargeback")
		}
		if n := count(s.eventsOf("dispute_id="+id), "dispute.status_changed"); n != 1 {
			t.Errorf("%d dispute.status_changed events, want 1", n)
		}
		tl := s.get("/v1/disputes/" + id + "/timeline").list()
		last := tl[len(tl)-1]
		if last["action"] != "escalated" || last["from"] != "warning_needs_response" || last["to"] != "needs_response" {
			t.Errorf("timeline entry: %v", last)
		}
	})
}

// TestChargebackStages walks a chargeback through pre-arbitration to arbitration: each time the
// issuer answers a representment (under_review → needs_response) the stage advances.
func TestChargebackStages(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, _, charge := s.sale(1000, "usd")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		want(t, d, 201)
		id := d.str("id")
		rev := d.num("revision")
		for _, stage := range []string{"pre_arbitration", "arbitration"} {
			sub := s.post("/v1/disputes/"+id, map[string]any{"revision": rev, "evidence": map[string]any{"uncategorized_text": "round " + stage}, "submit": true})
			want(t, sub, 200)
			if sub.str("status") != "under_review" {
				t.Fatalf("after submit: %s", sub.raw)
			}
			next := s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "needs_response", "revision": sub.num("revision")})
			want(t, next, 200)
			if next.str("stage") != stage || next.str("status") != "needs_response" || next.num("revision") != sub.num("revision")+1 {
				t.Fatalf("want stage %s: %s", stage, next.raw)
			}
			rev = next.num("revision")
		}
		sub := s.post("/v1/disputes/"+id+"/submit", map[string]any{"revision": rev})
		want(t, sub, 200)
		want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "needs_response"}), 409, "invalid_state")
		want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "needs_response", "revision": rev}), 409, "revision_conflict")
		if got := s.get("/v1/disputes/" + id); got.str("stage") != "arbitration" || got.num("revision") != sub.num("revision") {
			t.Errorf("after refused escalations: %s", got.raw)
		}
	})
}

// TestAlertMatchAndResolve: an unmatched alert can only end as could_not_find_order or other;
// matched, issued_full_refund refunds what is left of the charge.
func TestAlertMatchAndResolve(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		cus, ord, charge := s.sale(1000, "usd")
		want(t, s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 250}), 201)
		a := s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "ethoca", "amount": 1000, "currency": "usd",
			"arn": "74000000000000000000099"})
		want(t, a, 201)
		id := a.str("id")
		if a.str("status") != "open" || a.get("transaction_id") != nil || a.get("order_id") != nil {
			t.Fatalf("new alert: %s", a.raw)
		}
		if n := count(s.eventsOf("dispute_id="+id), "alert.created"); n != 1 {
			t.Errorf("%d alert.created events", n)
		}
		r := s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "issued_full_refund"})
		want(t, r, 422, "alert_unmatched")
		want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "won"}), 422, "resolution_not_allowed")
		if got := s.get("/v1/disputes/" + id); got.str("status") != "open" || got.num("revision") != a.num("revision") {
			t.Fatalf("refused resolutions changed the alert: %s", got.raw)
		}

		want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": a.num("revision"), "transaction_id": "txn_nope"}), 422)
		m := s.post("/v1/disputes/"+id, map[string]any{"revision": a.num("revision"), "transaction_id": charge})
		want(t, m, 200)
		if m.str("transaction_id") != charge || m.str("order_id") != ord || m.str("customer_id") != cus || m.num("revision") != a.num("revision")+1 {
			t.Fatalf("matched: %s", m.raw)
		}
		if o := s.get("/v1/orders/" + ord); o.str("dispute_id") != id || o.str("dispute_status") != "open" {
			t.Errorf("the matched order does not show the alert: %s", o.raw)
		}
		res := s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "issued_full_refund", "notes": "refunded"})
		want(t, res, 200)
		if res.str("status") != "resolved" || res.str("resolution") != "issued_full_refund" {
			t.Fatalf("resolved: %s", res.raw)
		}
		ch := s.get("/v1/transactions/" + charge)
		refunds, _ := ch.get("refunds").([]any)
		if ch.num("amount_refunded") != 1000 || len(refunds) != 2 {
			t.Fatalf("charge after the alert's refund: %s", ch.raw)
		}
		last := refunds[len(refunds)-1].(map[string]any)
		if last["amount"] != float64(750) || last["is_external"] != false || last["dispute_id"] != id {
			t.Errorf("the alert's refund: %v", last)
		}
		if o := s.get("/v1/orders/" + ord); o.str("status") != "refunded" || o.get("dispute_id") != nil {
			t.Errorf("order after the refund: %s", o.raw)
		}
		evs := s.eventsOf("dispute_id=" + id)
		for _, typ := range []string{"alert.created", "alert.resolved", "refund.created", "dispute.updated"} {
			if count(evs, typ) != 1 {
				t.Errorf("events %v: want one %s", evs, typ)
			}
		}
		if obj := s.lastEvent("refund.created", "dispute_id="+id); obj["amount"] != float64(750) || obj["type"] != "refund" {
			t.Errorf("refund.created object: %v", obj)
		}
		// Resolved alerts are done.
		want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "other"}), 409, "invalid_state")

		// The order may be disputed again later (an alert, then a chargeback).
		want(t, s.post("/v1/disputes", map[string]any{"type": "chargeback", "order_id": ord, "amount": 100, "currency": "usd"}), 201)
	})
}

// TestAlertUnmatchedResolutions: could_not_find_order and other are allowed without a match.
func TestAlertUnmatchedResolutions(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		for _, res := range []string{"could_not_find_order", "other"} {
			a := s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "tc40", "amount": 500, "currency": "usd"})
			want(t, a, 201)
			r := s.post("/v1/disputes/"+a.str("id")+"/resolve", map[string]any{"resolution": res})
			want(t, r, 200)
			if r.str("status") != "resolved" || r.str("resolution") != res {
				t.Errorf("%s: %s", res, r.raw)
			}
		}
		want(t, s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "visa", "amount": 500, "currency": "usd"}), 422)
		want(t, s.post("/v1/disputes", map[string]any{"type": "alert", "amount": 500, "currency": "usd"}), 422)
	})
}

// TestRDRAlert: an RDR alert is refunded by the network: once matched, it resolves itself with
// an external refund of the disputed amount.
func TestRDRAlert(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, ord, charge := s.sale(1000, "usd")
		a := s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "rdr", "amount": 400, "currency": "usd"})
		want(t, a, 201)
		if a.str("status") != "open" {
			t.Fatalf("unmatched RDR: %s", a.raw)
		}
		m := s.post("/v1/disputes/"+a.str("id"), map[string]any{"revision": a.num("revision"), "transaction_id": charge})
		want(t, m, 200)
		if m.str("status") != "resolved" || m.str("resolution") != "issued_full_refund" || m.str("resolved_by") != "system" {
			t.Fatalf("matched RDR did not resolve itself: %s", m.raw)
		}
		ch := s.get("/v1/transactions/" + charge)
		refunds, _ := ch.get("refunds").([]any)
		if len(refunds) != 1 || ch.num("amount_refunded") != 400 {
			t.Fatalf("charge after RDR: %s", ch.raw)
		}
		r := refunds[0].(map[string]any)
		if r["is_external"] != true || r["amount"] != float64(400) {
			t.Errorf("RDR refund: %v", r)
		}
		if o := s.get("/v1/orders/" + ord); o.str("status") != "partially_refunded" {
			t.Errorf("order %s after a partial RDR refund", o.str("status"))
		}
		evs := s.eventsOf("dispute_id=" + a.str("id"))
		for _, typ := range []string{"alert.created", "alert.resolved", "refund.created"} {
			if count(evs, typ) != 1 {
				t.Errorf("events %v: want one %s", evs, typ)
			}
		}

		// Created matched, it resolves at once.
		_, _, charge2 := s.sale(800, "usd")
		b := s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "rdr", "transaction_id": charge2})
		want(t, b, 201)
		if b.str("status") != "resolved" || b.num("amount") != 800 {
			t.Errorf("RDR created matched: %s", b.raw)
		}
		ch2 := s.get("/v1/transactions/" + charge2)
		if r := ch2.objs("refunds"); ch2.num("amount_refunded") != 800 || len(r) != 1 || r[0]["is_external"] != true {
			t.Errorf("charge after an RDR created matched: %s", ch2.raw)
		}
	})
}

// TestResolutionKinds: a resolution of the wrong kind is 422; a valid one at the wrong moment
// is 409 invalid_state naming the status.
func TestResolutionKinds(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, _, charge := s.sale(1000, "usd")
		cb := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		want(t, cb, 201)
		for _, res := range []string{"issued_full_refund", "could_not_find_order", "full_refund", "bogus"} {
			r := s.post("/v1/disputes/"+cb.str("id")+"/resolve", map[string]any{"resolution": res})
			want(t, r, 422)
			if res != "bogus" && r.errCode() != "resolution_not_allowed" {
				t.Errorf("%s on a chargeback: %s", res, r.raw)
			}
		}
		want(t, s.post("/v1/disputes/"+cb.str("id")+"/resolve", map[string]any{"resolution": "won", "refund_amount": 5}), 422)

		_, ord, _ := s.sale(1000, "usd")
		mp := s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "initiated_by": "buyer"})
		want(t, mp, 201)
		r := s.post("/v1/disputes/"+mp.str("id")+"/resolve", map[string]any{"resolution": "full_refund"})
		want(t, r, 409, "invalid_state")
		if r.str("error", "param") != "status" || !strings.Contains(r.str("error", "message"), "open") {
			t.Errorf("invalid_state does not name the status: %s", r.raw)
		}
		want(t, s.post("/v1/disputes/"+mp.str("id")+"/resolve", map[string]any{"resolution": "won"}), 422, "resolution_not_allowed")
		if got := s.get("/v1/disputes/" + mp.str("id")); got.str("status") != "open" || got.num("revision") != mp.num("revision") {
			t.Errorf("refused resolutions changed the dispute: %s", got.raw)
		}
		if got := s.get("/v1/disputes/" + cb.str("id")); got.num("revision") != cb.num("revision") {
			t.Errorf("refused resolutions changed the chargeback: %s", got.raw)
		}
	})
}

// TestDisputeUpdate checks POST /v1/disputes/{id}: evidence staging, tags, metadata, due_by, one
// revision per accepted change, none for a change that changes nothing.
func TestDisputeUpdate(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, _, charge := s.sale(1000, "usd")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		want(t, d, 201)
		id, rev := d.str("id"), d.num("revision")
		u := s.post("/v1/disputes/"+id, map[string]any{"revision": rev, "tags": []string{"vip", "vip", " late "},
			"metadata": map[string]string{"crm": "42"}, "due_by": "2031-05-01T12:00:00Z",
			"evidence": map[string]string{"customer_name": "Ada", "billing_address": "1 Main St"}})
		want(t, u, 200)
		var body struct {
			Tags     []string          `json:"tags"`
			Metadata map[string]string `json:"metadata"`
			Evidence map[string]string `json:"evidence"`
			DueBy    string            `json:"due_by"`
			Revision int64             `json:"revision"`
		}
		if err := json.Unmarshal(u.raw, &body); err != nil {
			t.Fatal(err)
		}
		if body.Revision != rev+1 || strings.Join(body.Tags, ",") != "vip,late" || body.Metadata["crm"] != "42" ||
			body.Evidence["customer_name"] != "Ada" || !strings.HasPrefix(body.DueBy, "2031-05-01T12:00:00") {
			t.Errorf("updated: %s", u.raw)
		}
		if u.get("evidence_details", "due_by") == nil || u.get("evidence_details", "has_evidence") != true {
			t.Errorf("evidence_details: %v", u.get("evidence_details"))
		}
		same := s.post("/v1/disputes/"+id, map[string]any{"revision": rev + 1, "tags": []string{"vip", "late"}})
		want(t, same, 200)
		if same.num("revision") != rev+1 {
			t.Errorf("a change that changes nothing moved the revision to %d", same.num("revision"))
		}
		rm := s.post("/v1/disputes/"+id, map[string]any{"revision": rev + 1, "metadata": map[string]string{"crm": ""},
			"evidence": map[string]string{"billing_address": ""}})
		want(t, rm, 200)
		if rm.num("revision") != rev+2 || len(rm.get("metadata").(map[string]any)) != 0 || rm.get("evidence", "billing_address") != nil {
			t.Errorf("removing: %s", rm.raw)
		}
		want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": rev + 2, "tags": []string{strings.Repeat("x", 65)}}), 422)
		want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": rev + 2, "due_by": "soon"}), 422)
		if got := s.get("/v1/disputes/" + id).num("revision"); got != rev+2 {
			t.Errorf("refused updates moved the revision to %d", got)
		}
		evs := s.eventsOf("dispute_id=" + id)
		if count(evs, "dispute.updated") != 2 {
			t.Errorf("events %v: want two dispute.updated", evs)
		}
		ev := s.get("/v1/events?type=dispute.updated&dispute_id=" + id).list()[0]
		got := s.get("/v1/events/" + fmt.Sprint(ev["id"]))
		want(t, got, 200)
		if got.str("data", "object", "id") != id || got.num("data", "object", "revision") != rev+2 || got.str("type") != "dispute.updated" {
			t.Errorf("GET /v1/events/{id}: %s", got.raw)
		}
		want(t, s.get("/v1/events/evt_nope"), 404, "not_found")
	})
}

// TestMatchByProviderReference: a dispute may name its charge by the provider's reference (the
// Stripe charge id a chargeback quotes), when opened and when an alert is matched later.
func TestMatchByProviderReference(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, ord, ch := s.sale(1800, "USD") // sale records provider_reference "ch_" + order id
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": "ch_" + ord})
		want(t, d, 201)
		if d.str("transaction_id") != ch || d.str("order_id") != ord || d.num("amount") != 1800 {
			t.Fatalf("opened by provider reference: %s", d.raw)
		}
		_, ord2, ch2 := s.sale(900, "USD")
		a := s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "ethoca", "amount": 900, "currency": "USD"})
		want(t, a, 201)
		m := s.post("/v1/disputes/"+a.str("id"), map[string]any{"revision": a.num("revision"), "transaction_id": "ch_" + ord2})
		want(t, m, 200)
		if m.str("transaction_id") != ch2 || m.str("order_id") != ord2 {
			t.Fatalf("matched by provider reference: %s", m.raw)
		}
		want(t, s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": "ch_nowhere"}), 422, "invalid_value")
	})
}
