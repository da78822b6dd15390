package httpapi_test

import (
	"math"
	"net/http"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/decide"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// stripeLikeFees are Stripe's US fees as the merchant's own row: the fixtures' charges are Stripe's,
// so a chargeback entered by hand on one costs Stripe's fees.
var stripeLikeFees = map[string]any{"provider": "stripe", "currency": "usd", "effective_from": "2025-06-17",
	"dispute_fee": 1500, "counter_fee": 1500, "counter_fee_refunded_on_win": true}

// visaFraud makes a dispute a Visa 10.4 (fraud) chargeback.
func visaFraud(p *app.DisputeParams) { p.Reason, p.NetworkReasonCode = "fraudulent", "10.4" }

// TestRecommendation: a $12 chargeback is not worth fighting and a $500 one is; an alert is
// refunded or kept; the merchant's decided disputes of the same kind move p_win as decide
// computes it; parties, ended and marketplace disputes show none.
func TestRecommendation(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"fee_table": []any{stripeLikeFees}}), 200)
		get := func(id string) httpapi.Dispute {
			t.Helper()
			return testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+id), http.StatusOK)
		}
		small := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1200}), "chargeback", visaFraud)
		large := e.Dispute(e.Sale(testenv.SaleParams{Amount: 50000}), "chargeback", visaFraud)
		r := get(small.ID).Recommendation
		if r == nil || r.Action != "accept" || r.ExpectedValue >= 0 || r.Currency != "USD" || r.Fees.Counter != 1500 ||
			r.Fees.Dispute != 1500 || !r.Fees.CounterRefundedOnWin || *r.Fees.TableVersion != "settings" || r.Basis.Won != 0 ||
			r.Basis.Prior != 0.09 || *r.Basis.Network != "visa" || *r.Basis.Category != "fraud" || r.Basis.Text == "" {
			t.Fatalf("$12 chargeback: %+v", r)
		}
		l := get(large.ID)
		if r := l.Recommendation; r == nil || r.Action != "fight" || r.ExpectedValue <= 0 || r.ExpectedValueDecimal == "" {
			t.Fatalf("$500 chargeback: %+v", r)
		}
		// The p_win shown is decide's for the dispute's completeness, by the same numbers.
		want := decide.Recommend(decide.Input{Type: "chargeback", Open: true, Amount: 50000, Currency: "USD", Category: "fraud",
			Network: "visa", Completeness: *l.EvidenceCompleteness, HasChecklist: true,
			Fees: decide.Fees{Dispute: 1500, Counter: 1500, CounterRefundedOnWin: true}})
		if math.Abs(l.Recommendation.PWin-want.PWin) > 1e-4 || l.Recommendation.ExpectedValue != want.ExpectedValue {
			t.Errorf("$500: p_win %v EV %d, want %v %d", l.Recommendation.PWin, l.Recommendation.ExpectedValue, want.PWin, want.ExpectedValue)
		}

		// 3 won and 9 lost Visa fraud disputes: (3 + 10 × 0.09) / (12 + 10) before the evidence.
		for i := range 12 {
			d := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback", visaFraud)
			res := "lost"
			if i < 3 {
				res = "won"
			}
			testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d.ID, nil, app.ResolveParams{Resolution: res}))(t)
		}
		b := get(large.ID).Recommendation.Basis
		if b.Won != 3 || b.Lost != 9 || math.Abs(b.History-3.9/22) > 1e-4 {
			t.Errorf("after 12 decided: basis %+v, want 3 won, 9 lost, history %.4f", b, 3.9/22)
		}
		// A list page shows the same.
		list := testenv.Want[httpapi.List[httpapi.Dispute]](t, c.Get("/v1/disputes?status=needs_response"), http.StatusOK)
		seen := 0
		for _, d := range list.Data {
			if d.Recommendation == nil {
				t.Errorf("%s in the list has no recommendation", d.ID)
			} else if d.ID == large.ID && d.Recommendation.Basis.Won == 3 {
				seen++
			}
		}
		if seen != 1 {
			t.Errorf("the list did not show the $500 dispute's recommendation with its history")
		}

		// An alert: refunding $12 beats 80 % of a chargeback's amount and fee.
		alert := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1200}), "alert", func(p *app.DisputeParams) { p.AlertType, p.Reason = "tc40", "fraudulent" })
		if r := get(alert.ID).Recommendation; r == nil || r.Action != "refund" || r.Basis.ChargebackProbability == nil ||
			*r.Basis.ChargebackProbability != 0.8 || r.Basis.Completeness != nil {
			t.Fatalf("$12 alert: %+v", r)
		}

		// Nothing to decide, or not theirs to know.
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, small.ID, nil, app.ResolveParams{Resolution: "lost"}))(t)
		if r := get(small.ID).Recommendation; r != nil {
			t.Errorf("an ended dispute: %+v", r)
		}
		buyer := c.As(e.NewKey(actor.Buyer, *l.CustomerID))
		if r := testenv.Want[httpapi.Dispute](t, buyer.Get("/v1/disputes/"+large.ID), http.StatusOK).Recommendation; r != nil {
			t.Errorf("the buyer sees the recommendation: %+v", r)
		}
	})
}

// TestRecommendationFeesInAnotherCurrency: with no exchange rate recorded, the fee table's USD
// fees are left out of a EUR dispute's expected value, and the recommendation says so.
func TestRecommendationFeesInAnotherCurrency(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"fee_table": []any{stripeLikeFees}}), 200)
		d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 5000, Currency: "EUR"}), "chargeback", visaFraud)
		r := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+d.ID), http.StatusOK).Recommendation
		if r == nil || r.Currency != "EUR" || r.Fees.Counter != 0 || r.Fees.Missing == nil ||
			*r.Fees.Missing != "No exchange rate to EUR is recorded for the fee table's USD fees: left out." {
			t.Fatalf("%+v", r)
		}
	})
}
