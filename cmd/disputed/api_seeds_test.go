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
			{"/v1/disputes", map[string]any{"type": "manual", "order_id": ord, "reason": "PayPal case"}},
			{"/v1/orders/" + ord + "/dispute", map[string]any{"reason": "the bank's letter of 3 May"}},
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
