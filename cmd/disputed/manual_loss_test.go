package main

import (
	"net/http"
	"strings"
	"testing"

	"disputed/internal/actor"
)

// TestUIConcedeSaysWhatMoneyMoves: the concede dialog tells what a loss records: the network's
// withdrawal for a chargeback, the customer's refund for a manual dispute.
func TestUIConcedeSaysWhatMoneyMoves(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	f := s.adminForms(t, actor.Admin)
	_, ord, _ := s.sale(4000, "USD")
	manual := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "PayPal case"})
	want(t, manual, 201)
	_, _, ch := s.sale(4000, "USD")
	chargeback := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch})
	want(t, chargeback, 201)
	for id, words := range map[string]string{
		manual.str("id"):     "is recorded as refunded to the customer",
		chargeback.str("id"): "is withdrawn",
	} {
		status, body, _ := f.get("/disputes/" + id)
		if status != http.StatusOK || !strings.Contains(body, `id="concede"`) || !strings.Contains(body, words) {
			t.Errorf("the concede dialog of %s does not say %q (status %d)", id, words, status)
		}
	}
}
