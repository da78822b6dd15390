package web_test

import (
	"net/http"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/testenv"
)

// TestUIConcedeSaysWhatMoneyMoves: the concede dialog tells what a loss records: the network's
// withdrawal for a chargeback, the customer's refund for a manual dispute.
func TestUIConcedeSaysWhatMoneyMoves(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	f := e.Forms(e.Serve(), actor.Admin, "")
	manual := testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, e.Sale(testenv.SaleParams{Amount: 4000}).Order.ID,
		app.ManualDisputeParams{Reason: "general", Description: "PayPal case"}))(t)
	chargeback := e.Dispute(e.Sale(testenv.SaleParams{Amount: 4000}), "chargeback")
	for id, words := range map[string]string{
		manual.ID:     "is recorded as refunded to the customer",
		chargeback.ID: "is withdrawn",
	} {
		a := f.Get("/disputes/" + id)
		if a.Status != http.StatusOK || !strings.Contains(a.Body, `id="concede"`) || !strings.Contains(a.Body, words) {
			t.Errorf("the concede dialog of %s does not say %q (status %d)", id, words, a.Status)
		}
	}
}
