package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestVisaCE3Wire: GET of a Visa 10.4 chargeback shows enhanced_eligibility with the two
// qualifying earlier charges; the list does not read the card's history and shows none; a
// dispute missing data says what, in codes and sentences; a Mastercard fraud chargeback has none.
func TestVisaCE3Wire(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		h := e.VisaCE3History()
		d := e.Dispute(h.Disputed, "chargeback", func(p *app.DisputeParams) { p.Reason, p.NetworkReasonCode = "fraudulent", "10.4" })
		got := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+d.ID), 200)
		if got.EnhancedEligibility == nil {
			t.Fatal("a Visa 10.4 chargeback without enhanced_eligibility")
		}
		ce3 := got.EnhancedEligibility.VisaCompellingEvidence3
		if ce3.Status != "qualified" || len(ce3.Missing) != 0 || len(ce3.PriorTransactions) != 2 {
			t.Fatalf("%+v, want qualified with two prior transactions", ce3)
		}
		p := ce3.PriorTransactions[1]
		if p.ID != h.Priors[1].Charge.ID || p.ProviderReference == nil || *p.ProviderReference != h.Priors[1].Charge.ProviderReference ||
			p.Amount != 4999 || p.Currency != "USD" || p.AgeDays != 300 || !slices.Contains(p.Matching, "customer_purchase_ip") ||
			!p.CreatedAt.Equal(h.Priors[1].Charge.CreatedAt) {
			t.Errorf("second prior %+v", p)
		}
		if list := c.Get("/v1/disputes?type=chargeback"); strings.Contains(list.String(), "enhanced_eligibility") {
			t.Errorf("the list shows enhanced_eligibility: %s", list)
		}

		unknown := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "new@example.com"}))(t)
		newCard := testenv.CE3Context
		newCard.CardFingerprint = "fp_new_card"
		bare := e.SaleAt(unknown, 0, "Hosting", newCard)
		lone := e.Dispute(bare, "inquiry", func(p *app.DisputeParams) { p.Reason, p.NetworkReasonCode = "fraudulent", "10.4" })
		ce3 = testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+lone.ID), 200).EnhancedEligibility.VisaCompellingEvidence3
		if ce3.Status != "requires_action" || !slices.Equal(ce3.Missing, []string{"missing_prior_undisputed_transactions"}) ||
			len(ce3.MissingMessages) != 1 || !strings.Contains(ce3.MissingMessages[0], "120 to 365 days") || ce3.PriorTransactions == nil {
			t.Errorf("a card without history: %+v", ce3)
		}
		testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, d.ID, nil, ""))(t)
		mc := e.Dispute(h.Disputed, "chargeback", func(p *app.DisputeParams) { p.Reason, p.NetworkReasonCode = "fraudulent", "4837" })
		other := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+mc.ID), 200).EnhancedEligibility
		if other == nil || other.VisaCompellingEvidence3.Status != "not_qualified" || len(other.VisaCompellingEvidence3.Missing) != 0 {
			t.Errorf("a Mastercard 4837: %+v, want not_qualified", other)
		}
		alert := e.Dispute(e.Sale(testenv.SaleParams{}), "alert")
		if r := c.Get("/v1/disputes/" + alert.ID); strings.Contains(r.String(), "enhanced_eligibility") {
			t.Errorf("an alert shows enhanced_eligibility: %s", r)
		}
	})
}
