package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestRatiosAPI checks GET /v1/analytics/ratios: the current month's Visa ratio of one chargeback
// (its network from its reason code) over four Visa sales, its threshold and projection; a past
// month without one; a bad month or network refused naming it; a buyer refused; the same figures
// and the open disputes on /metrics, read again at most every 30 s.
func TestRatiosAPI(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		for range 4 {
			testenv.Want[httpapi.Transaction](t, c.Post("/v1/transactions", map[string]any{"type": "charge", "amount": 1000,
				"currency": "USD", "card_network": "visa"}), 201)
		}
		e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback", func(p *app.DisputeParams) { p.NetworkReasonCode = "10.4" })

		r := testenv.Want[httpapi.Ratios](t, c.Get("/v1/analytics/ratios?network=visa"), 200)
		if r.Month != "2026-03" || !r.Current || len(r.Data) != 1 {
			t.Fatalf("ratios %+v", r)
		}
		v := r.Data[0]
		if v.Network != "visa" || v.Program != "vamp" || v.Disputes != 1 || v.FraudReports != 0 || v.Transactions != 4 ||
			v.Ratio != 0.25 || v.Status != "approaching" || len(v.Thresholds) != 1 || v.Thresholds[0].Ratio != 0.022 ||
			v.Thresholds[0].Effective != "2025-06-01" || v.Thresholds[0].Source == "" || v.Projected == nil {
			t.Errorf("visa %+v", v)
		}
		all := testenv.Want[httpapi.Ratios](t, c.Get("/v1/analytics/ratios?month=2026-02"), 200)
		if all.Current || len(all.Data) != 2 || all.Data[0].Projected != nil || all.Data[0].Transactions != 0 || all.Data[0].Status != "ok" {
			t.Errorf("February %+v", all)
		}
		testenv.WantError(t, c.Get("/v1/analytics/ratios?month=2026-3"), 422, "invalid_value", "month")
		testenv.WantError(t, c.Get("/v1/analytics/ratios?network=amex"), 422, "invalid_value", "network")
		testenv.WantStatus(t, c.As(e.NewKey(actor.Buyer, "cus_none")).Get("/v1/analytics/ratios"), 403)

		metrics := c.Get("/metrics").String()
		for _, want := range []string{`disputed_dispute_ratio{network="visa",program="vamp"} 0.25`,
			`disputed_dispute_ratio_projected{network="visa",program="vamp"}`, `disputed_dispute_ratio{network="mastercard",program="ecp"} 0`,
			`disputed_disputes_open{status="needs_response"} 1`, `disputed_amount_at_risk{currency="USD"} 1500`} {
			if !strings.Contains(metrics, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		// Within 30 s a scrape reuses the figures: a new dispute shows in the next ones.
		e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback", func(p *app.DisputeParams) { p.NetworkReasonCode = "10.4" })
		if !strings.Contains(c.Get("/metrics").String(), `disputed_disputes_open{status="needs_response"} 1`) {
			t.Error("a scrape within 30 s read the disputes again")
		}
		e.Clock.Advance(31 * time.Second)
		if !strings.Contains(c.Get("/metrics").String(), `disputed_disputes_open{status="needs_response"} 2`) {
			t.Error("a scrape after 30 s kept the old figures")
		}
	})
}
