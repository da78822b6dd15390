package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
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

// TestDisputeReasons checks that a reason is one of its type's coded reasons, whoever opens the
// dispute, and that a manual dispute says the rest in its description.
func TestDisputeReasons(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, ord, charge := s.sale(900, "usd")
		for _, tc := range []struct {
			path string
			body map[string]any
		}{
			{"/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge, "reason": "stolen card"}},
			{"/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "initiated_by": "buyer", "reason": "insufficient_funds"}},
		} {
			r := s.post(tc.path, tc.body)
			want(t, r, 422)
			if p := r.str("error", "param"); !strings.HasSuffix(p, "reason") {
				t.Errorf("%s %v: param %q: %s", tc.path, tc.body, p, r.raw)
			}
		}
		if n := len(s.get("/v1/disputes?order_id=" + ord).list()); n != 0 {
			t.Fatalf("%d disputes opened by refused reasons", n)
		}
		d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "product_not_received",
			"description": "PayPal case: the buyer says the box never came"})
		want(t, d, 201)
		if d.str("reason") != "product_not_received" || d.str("description") != "PayPal case: the buyer says the box never came" {
			t.Errorf("manual dispute: %s", d.raw)
		}
		// Words that are no code (what integrations sent when the reason was free text) are kept
		// in the description, the reason general; a marketplace's synonym becomes its code.
		want(t, s.post("/v1/disputes/"+d.str("id")+"/resolve", map[string]any{"resolution": "won", "notes": "letter"}), 200)
		words := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "the bank's letter of 3 May", "description": "see scan"})
		want(t, words, 201)
		if words.str("reason") != "general" || words.str("description") != "the bank's letter of 3 May: see scan" {
			t.Errorf("manual dispute in words: %s", words.raw)
		}
		_, ord2, _ := s.sale(900, "usd")
		m := s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord2, "initiated_by": "buyer", "reason": "not_as_described"})
		want(t, m, 201)
		if m.str("reason") != "product_unacceptable" {
			t.Errorf("marketplace synonym: %s", m.raw)
		}
		if got := s.get("/v1/disputes?status=needs_respons"); got.status != 422 || !strings.HasSuffix(got.str("error", "param"), "status") {
			t.Errorf("a status that does not exist: %d %s", got.status, got.raw)
		}
	})
}

// TestOpenAPIEnums checks that the document lists the values of the dispute's coded fields, the
// same lists the server checks.
func TestOpenAPIEnums(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	doc := s.call(http.MethodGet, "/openapi.json", nil, "Authorization", "")
	want(t, doc, 200)
	enum := func(path ...string) []string {
		raw, _ := doc.get(path...).([]any)
		var out []string
		for _, v := range raw {
			out = append(out, fmt.Sprint(v))
		}
		return out
	}
	props := []string{"components", "schemas", "Dispute", "properties"}
	for field, wantAll := range map[string][]string{
		"type":       {"chargeback", "inquiry", "alert", "marketplace", "manual"},
		"status":     {"needs_response", "under_review", "won", "lost", "warning_needs_response", "open", "pending_review", "escalated", "resolved", "closed"},
		"stage":      {"inquiry", "chargeback", "pre_arbitration", "arbitration"},
		"reason":     {"fraudulent", "duplicate", "product_not_received", "product_unacceptable", "general", "insufficient_funds"},
		"resolution": {"won", "lost", "full_refund", "favor_vendor", "issued_full_refund", "voided"},
	} {
		got := enum(append(props, field, "enum")...)
		for _, v := range wantAll {
			if !slices.Contains(got, v) {
				t.Errorf("Dispute.%s's enum %v lacks %q", field, got, v)
			}
		}
	}
	var statusParam []string
	params, _ := doc.get("paths", "/v1/disputes", "get", "parameters").([]any)
	for _, p := range params {
		if m, _ := p.(map[string]any); m["name"] == "status" {
			schema, _ := m["schema"].(map[string]any)
			for _, v := range schema["enum"].([]any) {
				statusParam = append(statusParam, fmt.Sprint(v))
			}
		}
	}
	if !slices.Contains(statusParam, "needs_response") || !slices.Contains(statusParam, "closed") {
		t.Errorf("the list's status filter lists %v", statusParam)
	}
}

// TestDisputeDefenceFields follows accepted_at, defended_at, auto_defended, defendable and
// channel through the ways a dispute is answered: evidence submitted by a person, a concession,
// a defence the provider reports, and the kinds the merchant does not defend.
func TestDisputeDefenceFields(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, c := providerServer(t, db, "")
		chargeback := func() response {
			_, _, charge := s.sale(900, "usd")
			d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge, "reason": "fraudulent",
				"due_by": c.Now().Add(7 * 24 * time.Hour).Format(time.RFC3339)})
			want(t, d, 201)
			return d
		}
		d := chargeback()
		if d.str("channel") != "network" || d.get("defendable") != true || d.get("accepted_at") != nil || d.get("defended_at") != nil ||
			d.get("auto_defended") != false {
			t.Fatalf("a new chargeback: %s", d.raw)
		}
		c.Advance(time.Hour)
		sub := s.post("/v1/disputes/"+d.str("id"), map[string]any{"revision": d.num("revision"), "submit": true,
			"evidence": map[string]any{"uncategorized_text": "used for 30 days"}})
		want(t, sub, 200)
		if sub.str("defended_at") != c.Now().UTC().Format(time.RFC3339) || sub.get("auto_defended") != false || sub.get("defendable") != false {
			t.Errorf("after a person submitted the evidence: %s", sub.raw)
		}

		conceded := chargeback()
		closed := s.post("/v1/disputes/"+conceded.str("id")+"/close", map[string]any{"note": "not worth it"})
		want(t, closed, 200)
		if closed.str("accepted_at") != c.Now().UTC().Format(time.RFC3339) || closed.get("defendable") != false || closed.get("defended_at") != nil {
			t.Errorf("after a concession: %s", closed.raw)
		}

		// Stripe reports evidence submitted on its side: defended, automatically.
		r := postStripe(s, c, stripeEvent("evt_seed_1", "charge.dispute.created", "needs_response", "ch_3QSeedUnrecorded", c.Now()), stripeSecret)
		want(t, r, 200)
		c.Advance(time.Minute)
		want(t, postStripe(s, c, stripeEvent("evt_seed_2", "charge.dispute.updated", "under_review", "ch_3QSeedUnrecorded", c.Now()), stripeSecret), 200)
		auto := s.get("/v1/disputes/" + r.str("dispute_id"))
		if auto.str("status") != "under_review" || auto.get("auto_defended") != true || auto.str("defended_at") != c.Now().UTC().Format(time.RFC3339) ||
			auto.str("channel") != "network" || auto.str("provider_charge") != "ch_3QSeedUnrecorded" {
			t.Errorf("a defence the provider reported: %s", auto.raw)
		}

		_, ord, _ := s.sale(500, "usd")
		m := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "bank letter"})
		want(t, m, 201)
		if m.str("channel") != "manual" || m.get("defendable") != true {
			t.Errorf("a manual dispute: %s", m.raw)
		}
		mp, _, _ := s.marketplaceDispute(700, false)
		if got := s.get("/v1/disputes/" + mp); got.str("channel") != "marketplace" || got.get("defendable") != false {
			t.Errorf("a marketplace dispute: %s", got.raw)
		}
	})
}

// TestPaymentFilters lists a payment's disputes by our transaction id or the provider's charge id
// (charge), and by the provider's payment intent (payment_intent, alias charge_intent), matched
// to a transaction of ours or not.
func TestPaymentFilters(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, c := providerServer(t, db, "")
		unmatched := postStripe(s, c, stripeEvent("evt_pf_1", "charge.dispute.created", "needs_response", "ch_3QNotOurs", c.Now()), stripeSecret)
		want(t, unmatched, 200)
		_, ord, charge := s.sale(1000, "usd") // provider_reference ch_<order id>
		ours := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		want(t, ours, 201)
		pi := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 300, "currency": "usd", "provider": "stripe",
			"provider_reference": "pi_3QOurIntent"})
		want(t, pi, 201)
		byIntent := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": pi.str("id")})
		want(t, byIntent, 201)
		for query, wantIDs := range map[string][]string{
			"charge=ch_3QNotOurs":              {unmatched.str("dispute_id")},
			"charge=" + charge:                 {ours.str("id")},
			"charge=ch_" + ord:                 {ours.str("id")},
			"charge=ch_nobody":                 nil,
			"payment_intent=pi_3QStripe0001":   {unmatched.str("dispute_id")},
			"charge_intent=pi_3QStripe0001":    {unmatched.str("dispute_id")},
			"payment_intent=pi_3QOurIntent":    {byIntent.str("id")},
			"payment_intent=pi_nobody":         nil,
			"charge=ch_3QNotOurs&type=inquiry": nil,
		} {
			r := s.get("/v1/disputes?" + query)
			want(t, r, 200)
			if got := r.ids(); !slices.Equal(got, wantIDs) {
				t.Errorf("%s: %v, want %v", query, got, wantIDs)
			}
		}
	})
}
