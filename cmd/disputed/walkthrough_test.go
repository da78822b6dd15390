package main

import (
	"testing"
)

// TestChargebackWalkthrough is the README's walkthrough: a charge, a chargeback, staged then
// submitted evidence, won — on both stores.
func TestChargebackWalkthrough(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		cus, ord, charge := s.sale(1295, "usd")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "reason": "fraudulent", "network_reason_code": "10.4",
			"transaction_id": charge, "due_by": "2030-01-01T00:00:00Z"})
		want(t, d, 201)
		if d.str("status") != "needs_response" || d.num("amount") != 1295 || d.str("currency") != "USD" ||
			d.str("order_id") != ord || d.str("customer_id") != cus || d.str("amount_decimal") != "12.95" {
			t.Fatalf("new chargeback: %s", d.raw)
		}
		id, rev := d.str("id"), d.num("revision")
		staged := s.post("/v1/disputes/"+id, map[string]any{"revision": rev, "evidence": map[string]any{"uncategorized_text": "used 30 days"}})
		want(t, staged, 200)
		if staged.num("revision") != rev+1 || staged.get("evidence_details", "has_evidence") != true || staged.str("status") != "needs_response" {
			t.Fatalf("staged: %s", staged.raw)
		}
		want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": rev, "tags": []string{"x"}}), 409, "revision_conflict")
		sub := s.post("/v1/disputes/"+id+"/submit", nil)
		want(t, sub, 200)
		if sub.str("status") != "under_review" || sub.num("evidence_details", "submission_count") != 1 || sub.num("revision") != rev+2 {
			t.Fatalf("submitted: %s", sub.raw)
		}
		won := s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "won", "notes": "issuer decided for us"})
		want(t, won, 200)
		if won.str("status") != "won" || won.str("resolution") != "won" || won.str("resolved_by") == "" {
			t.Fatalf("won: %s", won.raw)
		}
		want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": won.num("revision"), "tags": []string{"late"}}), 409, "invalid_state")
		tl := s.get("/v1/disputes/" + id + "/timeline")
		actions := []string{}
		for _, e := range tl.list() {
			actions = append(actions, e["action"].(string))
		}
		// With no SMTP server configured the customer emails are recorded, not sent.
		wantActions := []string{"created", "email_not_sent", "updated", "submitted", "resolved", "email_not_sent"}
		if len(actions) != len(wantActions) {
			t.Fatalf("timeline actions %v, want %v", actions, wantActions)
		}
		for i := range wantActions {
			if actions[i] != wantActions[i] {
				t.Fatalf("timeline actions %v, want %v", actions, wantActions)
			}
		}
		ev := s.get("/v1/events?dispute_id=" + id)
		types := map[string]int{}
		for _, e := range ev.list() {
			types[e["type"].(string)]++
		}
		for _, typ := range []string{"dispute.created", "order.disputed", "dispute.updated", "dispute.submitted", "dispute.resolved"} {
			if types[typ] == 0 {
				t.Errorf("no %s event; got %v", typ, types)
			}
		}
	})
}
