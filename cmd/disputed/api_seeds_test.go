package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestDisputeListQuery keeps what only HTTP shows of listing disputes (the filters' rules are
// tested beside internal/app): a status that does not exist is refused naming the parameter, and
// charge_intent is payment_intent's alias.
func TestDisputeListQuery(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	pi := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 300, "currency": "usd", "provider": "stripe",
		"provider_reference": "pi_3QOurIntent"})
	want(t, pi, 201)
	byIntent := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": pi.str("id")})
	want(t, byIntent, 201)
	for query, wantIDs := range map[string][]string{
		"payment_intent=pi_3QOurIntent": {byIntent.str("id")},
		"charge_intent=pi_3QOurIntent":  {byIntent.str("id")},
		"charge_intent=pi_nobody":       nil,
	} {
		r := s.get("/v1/disputes?" + query)
		want(t, r, 200)
		if got := r.ids(); !slices.Equal(got, wantIDs) {
			t.Errorf("%s: %v, want %v", query, got, wantIDs)
		}
	}
	if got := s.get("/v1/disputes?status=needs_respons"); got.status != 422 || !strings.HasSuffix(got.str("error", "param"), "status") {
		t.Errorf("a status that does not exist: %d %s", got.status, got.raw)
	}
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
