package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/provider/stripe/stripemock"
	"disputed/internal/testenv"
)

// TestRefundAlertThroughAPI: POST /v1/disputes/{id}/refund schedules the refund of an Ethoca
// alert through Stripe (stripe-mock), whose job resolves it issued_full_refund with one refund
// of Stripe's re_… id; the alert came with a due_by from its window. A chargeback is refused
// naming its type, the ended alert naming its status.
func TestRefundAlertThroughAPI(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		e.StripeProvider("sk_test_123", stripemock.Start(t))
		s := e.Sale(testenv.SaleParams{Amount: 2500})
		alert := testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "ethoca",
			"transaction_id": s.Charge.ID}), 201)
		if alert.DueBy == nil || !alert.DueBy.Equal(e.Clock.Now().Add(24*time.Hour)) {
			t.Fatalf("due_by %v, want 24 h from now", alert.DueBy)
		}
		got := testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes/"+alert.ID+"/refund", map[string]any{"reason": "customer does not recognise it"}), 202)
		if got.Status != "open" {
			t.Errorf("status %s before the job ran", got.Status)
		}
		e.RunJobs()
		done := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+alert.ID), 200)
		if done.Status != "resolved" || done.Resolution == nil || *done.Resolution != "issued_full_refund" {
			t.Fatalf("after the job: %s %v", done.Status, done.Resolution)
		}
		refunds := testenv.Want[httpapi.List[httpapi.Transaction]](t, c.Get("/v1/transactions?type=refund&order_id="+s.Order.ID), 200).Data
		if len(refunds) != 1 || refunds[0].Amount != 2500 || refunds[0].ProviderReference == nil || !strings.HasPrefix(*refunds[0].ProviderReference, "re_") {
			t.Fatalf("refunds: %+v", refunds)
		}
		testenv.WantError(t, c.Post("/v1/disputes/"+alert.ID+"/refund", nil), 409, "invalid_state", "status")

		cb := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback")
		testenv.WantError(t, c.Post("/v1/disputes/"+cb.ID+"/refund", nil), 422, "not_supported_for_type", "type")
	})
}

// TestRefundOfDisputedChargeThroughAPI: refunding a charge an open chargeback disputes is 409
// charge_disputed naming the dispute; an admin forces it with a reason; an agent may not.
func TestRefundOfDisputedChargeThroughAPI(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		s := e.Sale(testenv.SaleParams{})
		cb := e.Dispute(s, "chargeback")
		refused := testenv.WantError(t, c.Post("/v1/transactions/"+s.Charge.ID+"/refund", map[string]any{"amount": 500}), 409, "charge_disputed", "id")
		if !strings.Contains(refused.Message, cb.ID) {
			t.Errorf("the refusal does not name the dispute: %s", refused.Message)
		}
		testenv.WantError(t, c.Post("/v1/transactions/"+s.Charge.ID+"/refund", map[string]any{"amount": 500, "force": true}), 422, "parameter_missing", "reason")
		agent := c.As(e.NewKey(actor.Agent, ""))
		testenv.WantError(t, agent.Post("/v1/transactions/"+s.Charge.ID+"/refund", map[string]any{"amount": 500, "force": true, "reason": "goodwill"}), 403, "forbidden")
		r := testenv.Want[httpapi.Transaction](t, c.Post("/v1/transactions/"+s.Charge.ID+"/refund",
			map[string]any{"amount": 500, "force": true, "reason": "goodwill"}), 201)
		if r.Amount != 500 || r.Reason == nil || *r.Reason != "goodwill" {
			t.Errorf("forced refund %+v", r)
		}
	})
}

// TestAlertRefundWindowsSetting: GET /v1/settings shows the windows in force (the published ones
// before any change), POST changes them, and a bad one is refused naming it.
func TestAlertRefundWindowsSetting(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		st := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200)
		if st.AlertRefundWindows["ethoca"] != 24 || st.AlertRefundWindows["cdrn"] != 72 || st.AlertRefundWindows["tc40"] != 0 {
			t.Errorf("defaults %v", st.AlertRefundWindows)
		}
		st = testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"alert_refund_windows": map[string]int{"ethoca": 12}}), 200)
		if st.AlertRefundWindows["ethoca"] != 12 || st.AlertRefundWindows["cdrn"] != 72 {
			t.Errorf("saved %v", st.AlertRefundWindows)
		}
		testenv.WantError(t, c.Post("/v1/settings", map[string]any{"alert_refund_windows": map[string]int{"visa": 12}}), 422, "invalid_value", "alert_refund_windows.visa")
		testenv.WantError(t, c.Post("/v1/settings", map[string]any{"alert_refund_windows": map[string]int{"cdrn": 721}}), 422, "invalid_value", "alert_refund_windows.cdrn")
	})
}
